import type { RangeSeries } from '@kcloud/prometheus';
import { samplesByTimestamp } from '../shared/range-samples';
import type { TenantLabelNames } from '../gpu-snapshot/tenant-labels';
import { joinNpuSamples } from './npu-join';
import type { NpuSeriesPoint } from './npu-series.port';

/**
 * The range form of `joinNpuSamples`: per step, the identity series (value = sample time) and the value series are
 * joined as an instant read would join them. A card that changed pod has two identity series for a while: the one
 * with the newest sample goes first, so the step names the tenant holding the card then.
 */
export function joinNpuSeries(
  cluster: string,
  identity: readonly RangeSeries[],
  values: readonly RangeSeries[],
  names: TenantLabelNames,
  exporterPod: RegExp,
): NpuSeriesPoint[] {
  const ids = samplesByTimestamp(identity);
  const vals = samplesByTimestamp(values);
  const out: NpuSeriesPoint[] = [];
  for (const ts of [...ids.keys()].sort((a, b) => a - b)) {
    const newestFirst = ids.get(ts)!.sort((a, b) => b.value - a.value);
    const timestamp = new Date(ts);
    for (const sample of joinNpuSamples(cluster, newestFirst, vals.get(ts) ?? [], names, exporterPod))
      out.push({ ...sample, timestamp });
  }
  return out;
}
