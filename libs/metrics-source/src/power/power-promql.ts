import {
  binary,
  labelReplace,
  type Matcher,
  num,
  or,
  type PromQL,
  rangeFn,
  selector,
  selectorByNames,
} from '@kcloud/prometheus';
import { DCGM_FP64_BLANK } from '../quality/reading-value';

/**
 * How the power side speaks PromQL: one union query per call and cluster. Every part is aggregated to the labels that
 * identify its object and tagged with `kcloud_part`, then the parts are joined with `or` (their label sets differ by
 * the tag, so none is dropped). Node identity is read in memory from whichever label the exporter uses.
 * Counters become watts with `rate()` over the configured window.
 */
export const PART = 'kcloud_part';

export const tag = (expr: PromQL, part: string): PromQL => labelReplace(expr, PART, part, '__name__', '.*');
export const union = (parts: readonly PromQL[]): PromQL => parts.reduce((a, b) => or(a, b));

/** How counters are read: watts now (`rate`), or joules used over a window (`increase`; gauges averaged). */
export type PowerReading =
  | { readonly kind: 'watts'; readonly windowSeconds: number }
  | { readonly kind: 'energy'; readonly windowSeconds: number };

/** One family, or several names of the same thing (`{__name__=~"a|b"}`). */
export const byNames = (metric: string | readonly string[], m: readonly Matcher[]): PromQL =>
  typeof metric === 'string' ? selector(metric, m) : selectorByNames(metric, m);

/**
 * A counter stuck at a blank sentinel has a rate of 0 — a wrong 0 W, not a reading. Dividing by `X < bool blank`
 * (1 for a real value, 0 for a blank now) turns that series into NaN, which the reading-quality layer refuses.
 */
export const counter = (reading: PowerReading, metric: string, m: readonly Matcher[]): PromQL =>
  binary(
    rangeFn(reading.kind === 'watts' ? 'rate' : 'increase', selector(metric, m), reading.windowSeconds),
    '/',
    binary(selector(metric, m), '<', num(DCGM_FP64_BLANK), { bool: true }),
  );

/** A gauge in watts: its value now, or its average over the energy window (the join multiplies by the window). */
export const gauge = (
  reading: PowerReading,
  metric: string | readonly string[],
  m: readonly Matcher[],
): PromQL =>
  reading.kind === 'watts'
    ? byNames(metric, m)
    : rangeFn('avg_over_time', byNames(metric, m), reading.windowSeconds);
