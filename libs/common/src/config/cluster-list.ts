import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ClusterConfig } from './cluster-config';
import type { EnvSchema } from './env.schema';
import { describeValidationError } from './validation-problems';

/** The boot cluster list: PROMETHEUS_CLUSTERS when set, else PROMETHEUS_URL as the cluster named `default`. */
export function resolveClusters(env: EnvSchema, problems: string[]): ClusterConfig[] {
  if (env.PROMETHEUS_CLUSTERS) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(env.PROMETHEUS_CLUSTERS);
    } catch {
      problems.push('PROMETHEUS_CLUSTERS is not valid JSON');
      return [];
    }
    if (!Array.isArray(parsed)) {
      problems.push('PROMETHEUS_CLUSTERS must be a JSON list of {name,url,...}');
      return [];
    }
    return validateClusterList(parsed, problems, 'PROMETHEUS_CLUSTERS');
  }
  if (env.PROMETHEUS_URL)
    return [plainToInstance(ClusterConfig, { name: 'default', url: env.PROMETHEUS_URL })];
  return [];
}

/** Validates cluster entries (boot config or the registerCluster mutation); pushes one message per problem. */
export function validateClusterList(
  list: readonly unknown[],
  problems: string[],
  where: string,
): ClusterConfig[] {
  const clusters = list.map((item) => plainToInstance(ClusterConfig, item));
  const seen = new Set<string>();
  clusters.forEach((c, i) => {
    if (typeof c !== 'object' || c === null) {
      problems.push(`${where}[${i}] must be an object`);
      return;
    }
    for (const err of validateSync(c))
      problems.push(
        ...describeValidationError(err, c as unknown as Record<string, unknown>, `${where}[${i}].`),
      );
    if (c.name && seen.has(c.name)) problems.push(`${where}[${i}].name '${c.name}' is a duplicate`);
    seen.add(c.name);
  });
  return clusters;
}
