import { aggregate, lastOverTime, type Matcher, type PromQL, selector } from '@kcloud/prometheus';

/** Long enough to hold a sample at dcgm-exporter's usual 30 s collect interval, short enough to drop a gone board. */
export const ENERGY_LOOKBACK_SECONDS = 120;

/** `max by (UUID) (last_over_time(ENERGY{…}[120s]))`: one reading per board (MIG instance rows repeat the board's). */
export function boardEnergyQuery(matchers: readonly Matcher[]): PromQL {
  return aggregate(
    'max',
    ['UUID'],
    lastOverTime(selector('DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', matchers), ENERGY_LOOKBACK_SECONDS),
  );
}

/** `max by (namespace, pod, created_by_kind, created_by_name) (kube_pod_info{…})`. */
export function podOwnersQuery(matchers: readonly Matcher[]): PromQL {
  return aggregate(
    'max',
    ['namespace', 'pod', 'created_by_kind', 'created_by_name'],
    selector('kube_pod_info', matchers),
  );
}
