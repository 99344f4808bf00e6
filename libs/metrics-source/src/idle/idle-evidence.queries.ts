import { aggregate, fn, labelReplace, type Matcher, or, type PromQL, selector } from '@kcloud/prometheus';

const ENERGY = 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION';
/** The label that tells the sample-time series from the value series in the energy answer. */
export const ENERGY_PART_LABEL = 'kcloud_part';

/**
 * One request, one reading per board (MIG instance rows repeat the board's): the newest counter value, `or` its
 * sample time (`timestamp()` of the raw selector is the sample's own time, unlike the instant query's). The energy
 * over an interval is then measured between the exporter's sample times, so a scrape landing late or early does not
 * move energy from one interval to the next.
 */
export function boardEnergyQuery(matchers: readonly Matcher[]): PromQL {
  const value = aggregate('max', ['UUID'], selector(ENERGY, matchers));
  const time = aggregate('max', ['UUID'], fn('timestamp', selector(ENERGY, matchers)));
  return or(value, labelReplace(time, ENERGY_PART_LABEL, 'time', ENERGY_PART_LABEL, '.*'));
}

/** `max by (namespace, pod, created_by_kind, created_by_name) (kube_pod_info{…})`. */
export function podOwnersQuery(matchers: readonly Matcher[]): PromQL {
  return aggregate(
    'max',
    ['namespace', 'pod', 'created_by_kind', 'created_by_name'],
    selector('kube_pod_info', matchers),
  );
}
