import type { Logger } from '@nestjs/common';
import { CLUSTER_NAME_PATTERN } from '@kcloud/common';

/**
 * The values of CLUSTER_LABEL on a global endpoint that can name a cluster; the others are warned about and their
 * series not served (a cluster name ends up in URLs, metrics labels and PromQL).
 */
export function usableClusterNames(values: readonly string[], label: string, logger: Logger): string[] {
  return values.filter((value) => {
    if (CLUSTER_NAME_PATTERN.test(value)) return true;
    logger.warn(`${label}="${value.slice(0, 64)}" is not a usable cluster name; its series are not served`);
    return false;
  });
}
