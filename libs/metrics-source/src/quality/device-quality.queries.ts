import {
  aggregate,
  binary,
  fn,
  labelReplace,
  type Matcher,
  num,
  offset,
  oneOf,
  or,
  type PromQL,
  rangeFn,
  selector,
  subqueryFn,
} from '@kcloud/prometheus';
import { EXPORTED, PLAIN } from '../gpu-snapshot/tenant-labels';
import type { DeviceFilter } from '../shared/device-filter';

/** Every scrape target's `up` now (one series per target: cheap whatever the device count). */
export function targetsUpQuery(scope: readonly Matcher[]): PromQL {
  return selector('up', [...scope]);
}

/** The label that says which window an interval row was measured over. */
export const WINDOW_LABEL = 'kcloud_window';

/**
 * Each target's scrape interval, exactly, from its own `up` samples: the samples in the last W seconds span
 * `timestamp(up) - timestamp(up offset W)` in `count_over_time(up[W])` intervals. One row per target and window the
 * target is old enough for (labelled with the window), so a target a few scrapes old is measured too.
 */
export function scrapeIntervalQuery(scope: readonly Matcher[], windowsSeconds: readonly number[]): PromQL {
  const up = selector('up', [...scope]);
  const per = windowsSeconds.map((w) =>
    labelReplace(
      binary(
        binary(fn('timestamp', up), '-', fn('timestamp', offset(up, w))),
        '/',
        rangeFn('count_over_time', up, w),
      ),
      WINDOW_LABEL,
      String(w),
      '__name__',
      '.*',
    ),
  );
  return per.reduce((a, b) => or(a, b));
}

/** Keeps the series of some targets (by job); undefined = all of the cluster's. */
export function jobMatchers(scope: readonly Matcher[], jobs?: readonly string[]): Matcher[] {
  return jobs ? [...scope, oneOf('job', jobs)] : [...scope];
}

/**
 * Devices whose readings did not change over the last `samples` scrapes: at least that many samples in the window,
 * and zero changes in every family of `unchanging`. `on` names the device key labels (plus the target's, so two
 * targets reporting one device never mix). The result is one series per frozen device, keyed by `key` labels.
 */
export function frozenDevicesQuery(opts: {
  readonly unchanging: readonly [string, ...string[]];
  readonly key: readonly string[];
  readonly matchers: readonly Matcher[];
  readonly windowSeconds: number;
  readonly samples: number;
}): PromQL {
  const on = [...opts.key, 'instance', 'job'];
  const [first] = opts.unchanging;
  const enough = binary(
    rangeFn('count_over_time', selector(first, [...opts.matchers]), opts.windowSeconds),
    '>=',
    num(opts.samples),
  );
  const still = opts.unchanging.map((m) =>
    binary(rangeFn('changes', selector(m, [...opts.matchers]), opts.windowSeconds), '==', num(0)),
  );
  const all = [enough, ...still].reduce((a, b) => binary(a, 'and', b, { on }));
  return aggregate('count', [...opts.key], all);
}

/**
 * The identity series of the devices on some targets, as they were last seen within the lookback, with the time of
 * their last sample as value: `max_over_time(timestamp(identity)[lookback:step])`. `timestamp()` of a selector gives
 * the sample's own time at every step, so the step only has to be shorter than a scrape interval to catch the last one.
 */
export function lastSeenQuery(identity: PromQL, lookbackSeconds: number, stepSeconds: number): PromQL {
  return subqueryFn('max_over_time', fn('timestamp', identity), lookbackSeconds, stepSeconds);
}

/**
 * A tenant-narrowed read (a namespace-scoped key, or a namespace/pod filter) sends only selectors carrying the tenant,
 * so no other tenant's series leaves Prometheus. Evidence is read before the cluster's label shape is known, so each
 * tenant selector is written in both shapes (plain `namespace`, `exported_namespace` behind honor_labels: false) and
 * the two answers are joined with `or`; the untouched read keeps one variant without tenant matchers.
 */
export function tenantVariants(filter: DeviceFilter): Matcher[][] {
  if (!filter.namespaces && !filter.pods) return [[]];
  return [PLAIN, EXPORTED].map((names) => [
    ...(filter.namespaces ? [oneOf(names.namespace, filter.namespaces)] : []),
    ...(filter.pods ? [oneOf(names.pod, filter.pods)] : []),
  ]);
}
