import { fn, type Matcher, oneOf, type PromQL, selector } from '@kcloud/prometheus';
import type { DeviceFilter } from '../shared/device-filter';
import type { GpuSample } from './gpu-sample';
import { type ReadingField, ReadingJudge } from '../quality/reading-value';
import {
  BYTES_PER_MIB,
  familyValuesQuery,
  groupValues,
  instanceHost,
  ratioToPercent,
} from '../shared/family-values';
import type { PromSample } from '../shared/prom-sample';

/**
 * utkuozdemir/nvidia_gpu_exporter (METRICS.md §6.1): `nvidia_smi_*` gauges in base units, labelled only by `uuid`
 * (lower case, no `GPU-` prefix). Converted back to the dcgm units of GpuSample: bytes → MiB, ratio → percent,
 * Hz → MHz. The exporter names no host: the node is the `node` target label a Kubernetes scrape relabels from
 * `__meta_kubernetes_pod_node_name`, else the instance host.
 */
const NVIDIA_SMI_INFO = 'nvidia_smi_gpu_info';

export const NVIDIA_SMI_FAMILIES = {
  utilization: 'nvidia_smi_utilization_gpu_ratio',
  memoryUtilization: 'nvidia_smi_utilization_memory_ratio',
  memoryUsed: 'nvidia_smi_memory_used_bytes',
  memoryFree: 'nvidia_smi_memory_free_bytes',
  memoryReserved: 'nvidia_smi_memory_reserved_bytes',
  power: 'nvidia_smi_power_draw_watts',
  powerLimit: 'nvidia_smi_power_limit_watts',
  enforcedPowerLimit: 'nvidia_smi_enforced_power_limit_watts',
  temperature: 'nvidia_smi_temperature_gpu',
  smClock: 'nvidia_smi_clocks_current_sm_clock_hz',
  // Only with the exporter's NVML backend; NVML's total energy since the driver loaded, like DCGM's.
  energy: 'nvidia_smi_energy_joules_total',
} as const;
/** The exporter labels its value series by `uuid` only. */
export const NVIDIA_SMI_KEYS = ['uuid'];

/** NVML's `GPU-<uuid>` from the exporter's label (idempotent; lower-case hex, as NVML and dcgm-exporter print it). */
export function normalizeNvidiaUuid(raw: string): string {
  return `GPU-${raw.replace(/^GPU-/i, '').toLowerCase()}`;
}

/** The exporter's spelling of a UUID, for pushing a uuid filter down. */
export function exporterUuid(uuid: string): string {
  return uuid.replace(/^GPU-/i, '').toLowerCase();
}

export function nvidiaSmiIdentityQuery(filter: DeviceFilter, scope: readonly Matcher[]): PromQL {
  const m: Matcher[] = [...scope];
  if (filter.models) m.push(oneOf('name', filter.models));
  if (filter.uuids) m.push(oneOf('uuid', filter.uuids.map(exporterUuid)));
  return fn('timestamp', selector(NVIDIA_SMI_INFO, m));
}

export function nvidiaSmiValuesQuery(filter: DeviceFilter, scope: readonly Matcher[]): PromQL {
  const m: Matcher[] = [...scope];
  if (filter.uuids) m.push(oneOf('uuid', filter.uuids.map(exporterUuid)));
  return familyValuesQuery(Object.values(NVIDIA_SMI_FAMILIES), NVIDIA_SMI_KEYS, m);
}

export function nodeOfNvidiaSmi(l: Readonly<Record<string, string>>): string {
  return l.node || l.kubernetes_node || l.Hostname || l.hostname || instanceHost(l);
}

export function joinNvidiaSmi(
  cluster: string,
  identity: readonly PromSample[],
  values: readonly PromSample[],
): GpuSample[] {
  const byUuid = groupValues(values, (l) => l.uuid ?? '');
  const out = new Map<string, GpuSample>();
  for (const { labels, value } of identity) {
    if (!labels.uuid || out.has(labels.uuid)) continue;
    const v = byUuid.get(labels.uuid) ?? new Map<string, number>();
    const judge = new ReadingJudge();
    // Divide (never multiply by 1e-6): 1.98e9 * 1e-6 is 1980.0000000000002, 1.98e9 / 1e6 is 1980.
    const get = (field: ReadingField, family: string, divisor = 1): number | undefined =>
      judge.read(field, v.get(family), (raw) => raw / divisor);
    const percent = (field: ReadingField, family: string): number | undefined =>
      judge.read(field, v.get(family), ratioToPercent);
    out.set(labels.uuid, {
      cluster,
      node: nodeOfNvidiaSmi(labels),
      uuid: normalizeNvidiaUuid(labels.uuid),
      index: Number(labels.index ?? 0),
      model: labels.name || 'unknown',
      vendor: 'nvidia',
      driverVersion: labels.driver_version || undefined,
      pciBusId: labels.pci_bus_id || undefined,
      utilizationPercent: percent('utilizationPercent', NVIDIA_SMI_FAMILIES.utilization),
      memoryCopyUtilizationPercent: percent(
        'memoryCopyUtilizationPercent',
        NVIDIA_SMI_FAMILIES.memoryUtilization,
      ),
      memoryUsedMiB: get('memoryUsedMiB', NVIDIA_SMI_FAMILIES.memoryUsed, BYTES_PER_MIB),
      memoryFreeMiB: get('memoryFreeMiB', NVIDIA_SMI_FAMILIES.memoryFree, BYTES_PER_MIB),
      memoryReservedMiB: get('memoryReservedMiB', NVIDIA_SMI_FAMILIES.memoryReserved, BYTES_PER_MIB),
      powerWatts: get('powerWatts', NVIDIA_SMI_FAMILIES.power),
      powerLimitWatts:
        get('powerLimitWatts', NVIDIA_SMI_FAMILIES.powerLimit) ??
        get('powerLimitWatts', NVIDIA_SMI_FAMILIES.enforcedPowerLimit),
      temperatureCelsius: get('temperatureCelsius', NVIDIA_SMI_FAMILIES.temperature),
      smClockMHz: get('smClockMHz', NVIDIA_SMI_FAMILIES.smClock, 1e6),
      energyJoules: get('energyJoules', NVIDIA_SMI_FAMILIES.energy),
      invalidReadings: judge.invalidReadings,
      observedAt: new Date(Math.round(value * 1000)),
    });
  }
  return [...out.values()];
}
