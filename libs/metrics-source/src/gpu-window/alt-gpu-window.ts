import type { ClusterConfig } from '@kcloud/common';
import {
  aggregate,
  type Matcher,
  type PrometheusClient,
  type PromQL,
  rangeFn,
  selector,
} from '@kcloud/prometheus';
import type { DeviceFilter } from '../shared/device-filter';
import type { GpuSample } from '../gpu-snapshot/gpu-sample';
import type { GpuWindowAggregate } from './gpu-window.port';
import { ALL_SMI_FAMILIES, ALL_SMI_KEYS, allSmiIdentityQuery, joinAllSmi } from '../gpu-snapshot/all-smi';
import { METRIC_LABEL } from '../gpu-snapshot/dcgm-families';
import type { PromSample } from '../shared/prom-sample';
import {
  joinNvidiaGpu,
  NVIDIA_GPU_FAMILIES,
  NVIDIA_GPU_KEYS,
  nvidiaGpuIdentityQuery,
} from '../gpu-snapshot/nvidia-gpu';
import {
  joinNvidiaSmi,
  NVIDIA_SMI_FAMILIES,
  NVIDIA_SMI_KEYS,
  nvidiaSmiIdentityQuery,
} from '../gpu-snapshot/nvidia-smi';

interface AltWindowSpec {
  readonly families: readonly string[];
  readonly notExported?: GpuWindowAggregate['notExported'];
  readonly keys: readonly string[];
  identity(filter: DeviceFilter, scope: readonly Matcher[]): PromQL;
  join(cluster: string, identity: readonly PromSample[], values: readonly PromSample[]): GpuSample[];
}

// The families the analyzer scores from; temperature and energy are not averaged.
const NVIDIA_SMI: AltWindowSpec = {
  families: [
    NVIDIA_SMI_FAMILIES.utilization,
    NVIDIA_SMI_FAMILIES.memoryUtilization,
    NVIDIA_SMI_FAMILIES.memoryUsed,
    NVIDIA_SMI_FAMILIES.memoryFree,
    NVIDIA_SMI_FAMILIES.memoryReserved,
    NVIDIA_SMI_FAMILIES.power,
    NVIDIA_SMI_FAMILIES.powerLimit,
    NVIDIA_SMI_FAMILIES.enforcedPowerLimit,
    NVIDIA_SMI_FAMILIES.smClock,
  ],
  keys: NVIDIA_SMI_KEYS,
  identity: nvidiaSmiIdentityQuery,
  join: joinNvidiaSmi,
};

// all-smi exports no memory-copy utilisation: its GPUs are scored UNKNOWN with that reason, never with a made-up 0.
const ALL_SMI: AltWindowSpec = {
  families: [
    ALL_SMI_FAMILIES.utilization,
    ALL_SMI_FAMILIES.memoryUsed,
    ALL_SMI_FAMILIES.memoryTotal,
    ALL_SMI_FAMILIES.power,
    ALL_SMI_FAMILIES.powerLimit,
    ALL_SMI_FAMILIES.frequency,
  ],
  keys: ALL_SMI_KEYS,
  notExported: { memoryCopyUtilizationPercent: 'all-smi does not export it' },
  identity: allSmiIdentityQuery,
  join: joinAllSmi,
};

// seed 004's nvidia_gpu_* family has no power or clock: scored without them (UNKNOWN where the rule needs power).
const NVIDIA_GPU: AltWindowSpec = {
  families: [
    NVIDIA_GPU_FAMILIES.utilization,
    NVIDIA_GPU_FAMILIES.memoryUtilization,
    NVIDIA_GPU_FAMILIES.memoryUsed,
    NVIDIA_GPU_FAMILIES.memoryTotal,
    NVIDIA_GPU_FAMILIES.memoryFree,
  ],
  keys: NVIDIA_GPU_KEYS,
  identity: nvidiaGpuIdentityQuery,
  join: joinNvidiaGpu,
};

/**
 * Window aggregates of a cluster whose GPUs come from nvidia_gpu_exporter or all-smi: the identity request and one
 * `avg by (<exporter keys>) (avg_over_time(f[Ns]))` per family, in parallel; the averages are then read by the
 * exporter's own join (the same unit conversions and reading-quality judgement as its instant samples: an average
 * holding a blank is far out of range and refused). Neither exporter knows pods: a tenant
 * filter matches nothing, and the devices carry no tenant.
 */
export async function readAltGpuWindow(
  client: PrometheusClient,
  cluster: ClusterConfig,
  filter: DeviceFilter,
  scope: readonly Matcher[],
  windowSeconds: number,
  time: Date,
): Promise<GpuWindowAggregate[]> {
  if (filter.namespaces || filter.pods) return [];
  const spec =
    cluster.gpuExporter === 'nvidia-smi'
      ? NVIDIA_SMI
      : cluster.gpuExporter === 'nvidia-gpu'
        ? NVIDIA_GPU
        : ALL_SMI;
  // The joins read a value's family from the kcloud_metric label, as the instant values query sets it.
  const [identity, ...answers] = await Promise.all([
    client.instant(spec.identity(filter, scope), { time }),
    ...spec.families.map(async (family) =>
      (
        await client.instant(
          aggregate('avg', spec.keys, rangeFn('avg_over_time', selector(family, [...scope]), windowSeconds)),
          { time },
        )
      ).map((s) => ({ labels: { ...s.labels, [METRIC_LABEL]: family }, value: s.value })),
    ),
  ]);
  const values = answers.flat();
  return spec.join(cluster.name, identity, values).map((s) => toWindowAggregate(s, spec.notExported));
}

function toWindowAggregate(s: GpuSample, notExported: GpuWindowAggregate['notExported']): GpuWindowAggregate {
  return {
    notExported,
    cluster: s.cluster,
    node: s.node,
    uuid: s.uuid,
    index: s.index,
    model: s.model,
    migProfile: s.migProfile,
    migInstanceId: s.migInstanceId,
    tenants: [],
    utilizationPercent: s.utilizationPercent,
    memoryCopyUtilizationPercent: s.memoryCopyUtilizationPercent,
    memoryUsedMiB: s.memoryUsedMiB,
    memoryFreeMiB: s.memoryFreeMiB,
    memoryReservedMiB: s.memoryReservedMiB,
    powerWatts: s.powerWatts,
    powerLimitWatts: s.powerLimitWatts,
    smClockMHz: s.smClockMHz,
    invalidReadings: s.invalidReadings,
    observedAt: s.observedAt,
  };
}
