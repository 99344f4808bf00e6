import { type Matcher, oneOf, type PromQL, selector } from '@kcloud/prometheus';
import type { DeviceFilter } from '../metric-source.port';

/**
 * Board power with its full label set. Tenant filters are NOT pushed down: a MIG board's power is divided by its
 * instance rows, which must all be read to count them; tenants are filtered after the division.
 */
export function gpuPowerQuery(filter: DeviceFilter, scope: readonly Matcher[]): PromQL {
  const m: Matcher[] = [...scope];
  if (filter.models) m.push(oneOf('modelName', filter.models));
  if (filter.uuids) m.push(oneOf('UUID', filter.uuids));
  return selector('DCGM_FI_DEV_POWER_USAGE', m);
}
