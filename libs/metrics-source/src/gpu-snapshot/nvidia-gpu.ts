import { fn, type Matcher, type PromQL, selector } from '@kcloud/prometheus';
import type { DeviceFilter } from '../shared/device-filter';
import type { PromSample } from '../shared/prom-sample';
import { type ReadingField, ReadingJudge } from '../quality/reading-value';
import { BYTES_PER_MIB, familyValuesQuery, groupValues } from '../shared/family-values';
import type { GpuSample } from './gpu-sample';

/**
 * The `nvidia_gpu_*` family seed 004's backend reads ("nvidia-gpu-exporter"): gauges labelled `{node, gpu}` only
 * (node name, GPU index), utilisation and memory utilisation in percent, memory in bytes, temperature. It names no
 * UUID, model, power or clock: a GPU is identified as `<node>/gpu<index>` (its `uuid` when the exporter adds one),
 * the model is the `name` label or "unknown", and the fields it lacks stay null.
 */
export const NVIDIA_GPU_FAMILIES = {
  utilization: 'nvidia_gpu_utilization_percent',
  memoryUtilization: 'nvidia_gpu_memory_utilization_percent',
  memoryUsed: 'nvidia_gpu_used_memory_bytes',
  memoryTotal: 'nvidia_gpu_total_memory_bytes',
  memoryFree: 'nvidia_gpu_free_memory_bytes',
  temperature: 'nvidia_gpu_temperature_celsius',
} as const;
export const NVIDIA_GPU_KEYS = ['node', 'gpu'];

/** Every GPU the family reports, once: the memory-used series, which every GPU has, stamped with its sample time. */
export function nvidiaGpuIdentityQuery(_filter: DeviceFilter, scope: readonly Matcher[]): PromQL {
  return fn('timestamp', selector(NVIDIA_GPU_FAMILIES.memoryUsed, [...scope]));
}

export function nvidiaGpuValuesQuery(scope: readonly Matcher[]): PromQL {
  return familyValuesQuery(Object.values(NVIDIA_GPU_FAMILIES), NVIDIA_GPU_KEYS, scope);
}

/** The id a GPU of this family gets: its `uuid` label when present, else node and index. */
export function nvidiaGpuId(labels: Readonly<Record<string, string>>): string {
  return labels.uuid || `${labels.node}/gpu${labels.gpu}`;
}

export function joinNvidiaGpu(
  cluster: string,
  identity: readonly PromSample[],
  values: readonly PromSample[],
): GpuSample[] {
  const byKey = groupValues(values, (l) => `${l.node}\u0000${l.gpu}`);
  const out = new Map<string, GpuSample>();
  for (const { labels, value } of identity) {
    if (!labels.node || labels.gpu === undefined || !/^\d+$/.test(labels.gpu)) continue;
    const key = `${labels.node}\u0000${labels.gpu}`;
    if (out.has(key)) continue;
    const v = byKey.get(key) ?? new Map<string, number>();
    const judge = new ReadingJudge();
    const get = (field: ReadingField, family: string, divisor = 1): number | undefined =>
      judge.read(field, v.get(family), (raw) => raw / divisor);
    const used = get('memoryUsedMiB', NVIDIA_GPU_FAMILIES.memoryUsed, BYTES_PER_MIB);
    const free = get('memoryFreeMiB', NVIDIA_GPU_FAMILIES.memoryFree, BYTES_PER_MIB);
    const total = v.get(NVIDIA_GPU_FAMILIES.memoryTotal);
    // Reserved = total − used − free (what dcgm reports apart), so memoryTotalMiB adds back up to the total.
    const reserved =
      used !== undefined && free !== undefined && total !== undefined && Number.isFinite(total)
        ? Math.max(0, total / BYTES_PER_MIB - used - free)
        : undefined;
    out.set(key, {
      cluster,
      node: labels.node,
      uuid: nvidiaGpuId(labels),
      index: Number(labels.gpu),
      model: labels.name || 'unknown',
      vendor: 'nvidia',
      utilizationPercent: get('utilizationPercent', NVIDIA_GPU_FAMILIES.utilization),
      memoryCopyUtilizationPercent: get(
        'memoryCopyUtilizationPercent',
        NVIDIA_GPU_FAMILIES.memoryUtilization,
      ),
      memoryUsedMiB: used,
      memoryFreeMiB: free,
      memoryReservedMiB: reserved,
      temperatureCelsius: get('temperatureCelsius', NVIDIA_GPU_FAMILIES.temperature),
      invalidReadings: judge.invalidReadings,
      observedAt: new Date(Math.round(value * 1000)),
    });
  }
  return [...out.values()];
}
