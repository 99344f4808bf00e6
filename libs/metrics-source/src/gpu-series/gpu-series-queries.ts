import { aggregate, binary, type Matcher, oneOf, type PromQL, selector } from '@kcloud/prometheus';
import type { DeviceFilter } from '../shared/device-filter';
import type { TenantLabelNames } from '../gpu-snapshot/tenant-labels';

const POWER_METRIC = 'DCGM_FI_DEV_POWER_USAGE';

/** Whether a filter names tenants (namespaces or pods): then the power read returns only their rows, pre-divided. */
export const hasTenantFilter = (filter: DeviceFilter): boolean => !!(filter.namespaces || filter.pods);

/**
 * Board power with its full label set. DCGM repeats a MIG board's power on every instance row, so each row is worth
 * power / (rows of its board). Without tenant filters every row is read and divided in memory (aggregatePower).
 * With them, only the tenants' rows leave Prometheus, already divided by their board's row count at that step:
 * `power{board, tenant} / on (UUID) group_left () count by (UUID) (power{board})` — the count sees the other
 * tenants' instances of a shared board without sending any of their labels.
 */
export function gpuPowerQuery(
  filter: DeviceFilter,
  names: TenantLabelNames,
  scope: readonly Matcher[],
): PromQL {
  const board: Matcher[] = [...scope];
  if (filter.models) board.push(oneOf('modelName', filter.models));
  if (filter.uuids) board.push(oneOf('UUID', filter.uuids));
  if (!hasTenantFilter(filter)) return selector(POWER_METRIC, board);
  const tenant = [...board];
  if (filter.namespaces) tenant.push(oneOf(names.namespace, filter.namespaces));
  if (filter.pods) tenant.push(oneOf(names.pod, filter.pods));
  const rowsPerBoard = aggregate('count', ['UUID'], selector(POWER_METRIC, board));
  return binary(selector(POWER_METRIC, tenant), '/', rowsPerBoard, { on: ['UUID'], group: 'left' });
}

/** How many series `gpuPowerQuery` reads now: one instant count, to size the first range chunk. */
export function gpuPowerSeriesCount(
  filter: DeviceFilter,
  names: TenantLabelNames,
  scope: readonly Matcher[],
): PromQL {
  return aggregate('count', [], gpuPowerQuery(filter, names, scope));
}
