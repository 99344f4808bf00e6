import { gpuKey, type GpuSample } from '@kcloud/metrics-source';
import { gpuHealth } from './health/gpu-health';
import { AcceleratorKind } from './models/accelerator.model';
import type { Gpu } from './models/gpu.model';
import type { GpuHealth } from './models/gpu-health.model';

/** Maps a source sample to the GraphQL shape: derived totals and ratios turned into percents. */
export function toGpu(s: GpuSample): Gpu {
  const parts = [s.memoryUsedMiB, s.memoryFreeMiB, s.memoryReservedMiB];
  // A refused reservation is unknown, not 0: the total would be short by it.
  const reservedRefused = s.invalidReadings?.some((r) => r.field === 'memoryReservedMiB') ?? false;
  const memoryTotalMiB =
    s.memoryUsedMiB !== undefined && s.memoryFreeMiB !== undefined && !reservedRefused
      ? parts.reduce<number>((a, b) => a + (b ?? 0), 0)
      : undefined;
  return {
    id: gpuKey(s),
    kind: AcceleratorKind.GPU,
    vendor: s.vendor ?? 'nvidia',
    uuid: s.uuid,
    index: s.index,
    cluster: s.cluster,
    node: s.node,
    model: s.model,
    driverVersion: s.driverVersion,
    pciBusId: s.pciBusId,
    migProfile: s.migProfile,
    migInstanceId: s.migInstanceId,
    namespace: s.namespace,
    pod: s.pod,
    container: s.container,
    utilizationPercent: s.utilizationPercent,
    memoryCopyUtilizationPercent: s.memoryCopyUtilizationPercent,
    memoryUsedMiB: s.memoryUsedMiB,
    memoryFreeMiB: s.memoryFreeMiB,
    memoryTotalMiB,
    powerWatts: s.powerWatts,
    powerLimitWatts: s.powerLimitWatts,
    temperatureCelsius: s.temperatureCelsius,
    smClockMHz: s.smClockMHz,
    energyJoules: s.energyJoules,
    graphicsEngineActivePercent:
      s.grEngineActiveRatio === undefined ? undefined : s.grEngineActiveRatio * 100,
    dramActivePercent: s.dramActiveRatio === undefined ? undefined : s.dramActiveRatio * 100,
    memoryClockMHz: s.memoryClockMHz,
    health: toGpuHealth(s),
    observedAt: s.observedAt,
  };
}

function toGpuHealth(s: GpuSample): GpuHealth {
  const h = gpuHealth(s);
  return { ...h, throttleReasons: [...h.throttleReasons], reasons: [...h.reasons] };
}

/** Stable listing order: cluster, node, GPU index, MIG instance. */
export function compareGpus(a: GpuSample, b: GpuSample): number {
  return (
    a.cluster.localeCompare(b.cluster) ||
    a.node.localeCompare(b.node) ||
    a.index - b.index ||
    (a.migInstanceId ?? '').localeCompare(b.migInstanceId ?? '', undefined, { numeric: true })
  );
}
