import { aggregate, labelReplace, type Matcher, type PromQL, selectorByNames } from '@kcloud/prometheus';
import { METRIC_LABEL } from '../gpu-snapshot/dcgm-families';
import type { PromSample } from './prom-sample';

/**
 * Several metric families in one request, reduced to (family, key labels): `max by (kcloud_metric, k…)
 * (label_replace({__name__=~"a|b"}, "kcloud_metric", "$1", "__name__", "(.+)"))`. The full label sets stay with the
 * identity query; this one carries values only, so its payload does not grow with the exporter's label count.
 */
export function familyValuesQuery(
  families: readonly string[],
  keys: readonly string[],
  matchers: readonly Matcher[],
): PromQL {
  const named = labelReplace(
    selectorByNames(families, [...matchers]),
    METRIC_LABEL,
    '$1',
    '__name__',
    '(.+)',
  );
  return aggregate('max', [METRIC_LABEL, ...keys], named);
}

/**
 * Families value by value, grouped by a key derived from each row's labels. Values are kept as read, NaN and blanks
 * included: the join judges each one with the reading-quality classifier, so a refusal is reported, not lost.
 */
export function groupValues(
  rows: readonly PromSample[],
  keyOf: (labels: Readonly<Record<string, string>>) => string,
): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const { labels, value } of rows) {
    const family = labels[METRIC_LABEL];
    if (!family) continue;
    const key = keyOf(labels);
    let values = out.get(key);
    if (!values) out.set(key, (values = new Map()));
    values.set(family, value);
  }
  return out;
}

/** `instance` without its port: the host an exporter runs on when nothing better names the node. */
export function instanceHost(labels: Readonly<Record<string, string>>): string {
  return (labels.instance ?? '').replace(/:\d+$/, '');
}

/** A percentage from a 0–1 ratio, without the float noise of `0.85 * 100 = 85.00000000000001`. */
export function ratioToPercent(ratio: number): number {
  return Math.round(ratio * 100 * 1e6) / 1e6;
}

export const BYTES_PER_MIB = 1024 * 1024;
