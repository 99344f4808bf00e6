import type { RangeSeries } from '@kcloud/prometheus';
import type { GpuSeriesPoint } from './gpu-series.port';
import { classifyReading } from '../quality/reading-value';
import type { PowerRow } from './power-aggregate';
import { joinGpuSamples } from '../gpu-snapshot/gpu-join';
import { samplesByTimestamp as byTimestamp } from '../shared/range-samples';
import { nodeOf, tenantOf, type TenantLabelNames } from '../gpu-snapshot/tenant-labels';

/** A power row with what a DeviceFilter may test. */
export interface LabelledPowerRow extends PowerRow {
  readonly pod?: string;
  readonly model: string;
}

/**
 * The range form of `joinGpuSamples`: per step, identity series (`timestamp(FB_USED{…})`, value = sample time) and
 * value series are joined exactly as an instant query would be. When a GPU changed tenant, the series with the
 * newest sample wins at that step, so the row names the tenant holding the GPU then.
 */
export function joinGpuSeries(
  cluster: string,
  identity: readonly RangeSeries[],
  values: readonly RangeSeries[],
  names: TenantLabelNames,
  exporterPod: RegExp,
): GpuSeriesPoint[] {
  const ids = byTimestamp(identity);
  const vals = byTimestamp(values);
  const out: GpuSeriesPoint[] = [];
  for (const ts of [...ids.keys()].sort((a, b) => a - b)) {
    const newestFirst = ids.get(ts)!.sort((a, b) => b.value - a.value);
    const timestamp = new Date(ts);
    for (const sample of joinGpuSamples(cluster, newestFirst, vals.get(ts) ?? [], names, exporterPod))
      out.push({ ...sample, timestamp });
  }
  return out;
}

/**
 * Raw DCGM_FI_DEV_POWER_USAGE series (full labels) → one row per series and step, tenant read as for samples. A
 * reading the classifier refuses (blank, NaN, impossible) becomes NaN, which the aggregation leaves out: the group's
 * `gpuCount` then counts only the boards whose power is in its sum.
 */
export function powerRows(
  cluster: string,
  series: readonly RangeSeries[],
  names: TenantLabelNames,
  exporterPod: RegExp,
): LabelledPowerRow[] {
  const rows: LabelledPowerRow[] = [];
  for (const { labels, points } of series) {
    const uuid = labels.UUID;
    if (!uuid) continue;
    const { namespace, pod } = tenantOf(labels, names, exporterPod);
    const node = nodeOf(labels);
    const model = labels.modelName ?? 'unknown';
    for (const { timestampMs, value } of points)
      rows.push({ timestampMs, cluster, node, uuid, namespace, pod, model, powerWatts: judged(value) });
  }
  return rows;
}

function judged(watts: number): number {
  const verdict = classifyReading('powerWatts', watts);
  return verdict.ok ? verdict.value : NaN;
}
