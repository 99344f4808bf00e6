import { eq, fn, type Matcher, oneOf, type PromQL, selector } from '@kcloud/prometheus';
import type { DeviceFilter } from '../shared/device-filter';
import type { GpuSample } from './gpu-sample';
import { ReadingJudge } from '../quality/reading-value';
import { BYTES_PER_MIB, familyValuesQuery, groupValues, instanceHost } from '../shared/family-values';
import type { PromSample } from '../shared/prom-sample';

/**
 * all-smi's GPU families (METRICS.md §5), every label generation read (ALL_SMI_GENERATIONS). The host is all-smi's
 * own `instance` label, which Prometheus renames `exported_instance` unless the scrape honours labels. all-smi has no
 * pod attribution, no memory-copy utilisation and no reservation.
 */
const ALL_SMI_INFO = 'all_smi_gpu_info';

export const ALL_SMI_FAMILIES = {
  utilization: 'all_smi_gpu_utilization',
  memoryUsed: 'all_smi_gpu_memory_used_bytes',
  memoryTotal: 'all_smi_gpu_memory_total_bytes',
  temperature: 'all_smi_gpu_temperature_celsius',
  power: 'all_smi_gpu_power_consumption_watts',
  frequency: 'all_smi_gpu_frequency_mhz',
  powerLimit: 'all_smi_gpu_power_limit_current_watts',
} as const;

/** all-smi's non-GPU accelerator device types (its `device_type`). */
export const ALL_SMI_NPU_TYPES = ['NPU', 'TPU'] as const;

/** all-smi's label generations, oldest first: the device's UUID and index labels. */
export const ALL_SMI_GENERATIONS = [
  { versions: '≤ v0.20', uuid: 'uuid', index: 'index' },
  { versions: '≥ v0.21', uuid: 'gpu_uuid', index: 'gpu_index' },
] as const;

/** The newest generation's label that a series carries. */
const labelOf =
  (name: 'uuid' | 'index') =>
  (l: Readonly<Record<string, string>>): string | undefined =>
    [...ALL_SMI_GENERATIONS]
      .reverse()
      .map((g) => l[g[name]])
      .find((v) => v);

export const ALL_SMI_KEYS = [...ALL_SMI_GENERATIONS.map((g) => g.uuid), 'instance', 'exported_instance'];

/**
 * Identity of every GPU (all-smi also lists NPUs and TPUs as devices, with the same families: `type="GPU"` keeps the
 * GPUs; the NPU reader asks for ALL_SMI_NPU_TYPES).
 */
export function allSmiIdentityQuery(
  filter: DeviceFilter,
  scope: readonly Matcher[],
  types: readonly string[] = ['GPU'],
): PromQL {
  const [only, ...more] = types;
  const m: Matcher[] = [
    ...scope,
    only !== undefined && !more.length ? eq('type', only) : oneOf('type', types),
  ];
  if (filter.models) m.push(oneOf('gpu', filter.models));
  return fn('timestamp', selector(ALL_SMI_INFO, m));
}

export function allSmiValuesQuery(scope: readonly Matcher[]): PromQL {
  return familyValuesQuery(Object.values(ALL_SMI_FAMILIES), ALL_SMI_KEYS, scope);
}

const uuidOf = (l: Readonly<Record<string, string>>): string => labelOf('uuid')(l) ?? '';
const indexOf = labelOf('index');
const nodeOf = (l: Readonly<Record<string, string>>): string => l.exported_instance || instanceHost(l);
const keyOf = (l: Readonly<Record<string, string>>): string => `${nodeOf(l)}|${uuidOf(l)}`;

/** One GpuSample per all-smi GPU; values in bytes become MiB, free memory is total − used. */
export function joinAllSmi(
  cluster: string,
  identity: readonly PromSample[],
  values: readonly PromSample[],
): GpuSample[] {
  const byKey = groupValues(values, keyOf);
  const out = new Map<string, GpuSample>();
  for (const { labels, value } of identity) {
    const uuid = uuidOf(labels);
    const key = keyOf(labels);
    if (!uuid || out.has(key)) continue;
    const v = byKey.get(key) ?? new Map<string, number>();
    const judge = new ReadingJudge();
    const total = judge.read('memoryTotalMiB', v.get(ALL_SMI_FAMILIES.memoryTotal), mib);
    const used = judge.capped(
      'memoryUsedMiB',
      judge.read('memoryUsedMiB', v.get(ALL_SMI_FAMILIES.memoryUsed), mib),
      total,
    );
    out.set(key, {
      cluster,
      node: nodeOf(labels),
      uuid,
      index: Number(indexOf(labels) ?? 0),
      model: labels.gpu || 'unknown',
      vendor: vendorOf(labels.gpu ?? ''),
      driverVersion: labels.driver_version || undefined,
      utilizationPercent: judge.read('utilizationPercent', v.get(ALL_SMI_FAMILIES.utilization)),
      memoryUsedMiB: used,
      memoryFreeMiB: used !== undefined && total !== undefined ? total - used : undefined,
      powerWatts: judge.read('powerWatts', v.get(ALL_SMI_FAMILIES.power)),
      powerLimitWatts: judge.read('powerLimitWatts', v.get(ALL_SMI_FAMILIES.powerLimit)),
      temperatureCelsius: judge.read('temperatureCelsius', v.get(ALL_SMI_FAMILIES.temperature)),
      smClockMHz: judge.read('smClockMHz', v.get(ALL_SMI_FAMILIES.frequency)),
      invalidReadings: judge.invalidReadings,
      observedAt: new Date(Math.round(value * 1000)),
    });
  }
  return [...out.values()];
}

function mib(bytes: number): number {
  return bytes / BYTES_PER_MIB;
}

/** all-smi reads NVIDIA (incl. Jetson), Apple Silicon, AMD and Intel GPUs; its `gpu` label is the device name. */
export function vendorOf(name: string): string {
  if (/apple|metal/i.test(name)) return 'apple';
  if (/\bamd\b|radeon|instinct/i.test(name)) return 'amd';
  if (/intel|gaudi|\barc\b/i.test(name)) return 'intel';
  if (/nvidia|tesla|quadro|geforce|jetson|orin|xavier/i.test(name)) return 'nvidia';
  return 'unknown';
}
