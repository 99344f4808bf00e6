import type { RangeSeries } from '@kcloud/prometheus';
import type { PromSample } from './prom-sample';

/** Regroups range series by step timestamp: the instant samples Prometheus would have answered at each step. */
export function samplesByTimestamp(series: readonly RangeSeries[]): Map<number, PromSample[]> {
  const at = new Map<number, PromSample[]>();
  for (const { labels, points } of series)
    for (const { timestampMs, value } of points) {
      let list = at.get(timestampMs);
      if (!list) at.set(timestampMs, (list = []));
      list.push({ labels, value });
    }
  return at;
}
