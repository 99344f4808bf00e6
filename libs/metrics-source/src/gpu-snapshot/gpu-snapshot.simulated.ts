import type { PartialResult } from '@kcloud/common';
import type { FleetModel, ReportedGpu } from '@kcloud/fleet-model';
import { type DeviceFilter, matchesDevice, matchesNothing } from '../shared/device-filter';
import { judgeGpuSampleInPlace } from '../shared/simulated-readings';
import type { GpuSample } from './gpu-sample';
import type { GpuSnapshotSource } from './gpu-snapshot.port';

/**
 * Current GPU values from the fleet model in-process: exactly what the cluster's simulated exporter would report
 * (every dcgm field, fewer for all-smi / nvidia_gpu_exporter), judged by the reading-quality classifier.
 */
export class SimulatedGpuSnapshot implements GpuSnapshotSource {
  constructor(
    private readonly model: FleetModel,
    private readonly now: () => number = Date.now,
  ) {}

  async gpuSamples(filter: DeviceFilter): Promise<PartialResult<GpuSample>> {
    if (matchesNothing(filter)) return { items: [], failures: [] };
    const at = this.now();
    // One Date for the whole read: every sample of it was observed at the same instant (a Date per GPU is ~100 B).
    const observedAt = new Date(at);
    const items = this.model
      .reportedGpus(undefined, at)
      .filter((g) => matchesDevice(filter, g))
      .map((g) => simulatedGpuSample(this.model, g, observedAt, this.model.dcgmAllHealthCounters));
    return { items, failures: [] };
  }
}

/**
 * One reported GPU as a judged sample (a blank the scenario planted is refused, as from Prometheus), observed at
 * `observedAt` (shared by the samples of one read; samples are read-only).
 */
export function simulatedGpuSample(
  model: FleetModel,
  g: ReportedGpu,
  observedAt: Date,
  allHealthCounters = false,
): GpuSample {
  return judgeGpuSampleInPlace(toSample(g, observedAt, allHealthCounters), model.blanks);
}

/**
 * A GPU as its cluster's exporter reports it (all of dcgm's fields, fewer for all-smi / nvidia_gpu_exporter). Every
 * key is always present (undefined when not reported) and in one order, so all samples share one shape.
 */
function toSample(g: ReportedGpu, observedAt: Date, allHealthCounters = false): GpuSample {
  // The rows dcgm-exporter's default CSV leaves commented out exist only when the scenario enables them.
  const optional = (v: number | undefined) => (allHealthCounters ? v : undefined);
  return {
    cluster: g.cluster,
    node: g.node,
    uuid: g.uuid,
    index: g.index,
    model: g.model,
    driverVersion: g.driverVersion,
    pciBusId: g.pciBusId,
    migProfile: g.migProfile,
    migInstanceId: g.migInstanceId,
    namespace: g.namespace,
    pod: g.pod,
    container: g.container,
    utilizationPercent: g.utilizationPercent,
    memoryCopyUtilizationPercent: g.memoryCopyUtilizationPercent,
    memoryUsedMiB: g.memoryUsedMiB,
    memoryFreeMiB: g.memoryFreeMiB,
    memoryReservedMiB: g.memoryReservedMiB,
    powerWatts: g.powerWatts,
    powerLimitWatts: g.powerLimitWatts,
    temperatureCelsius: g.temperatureCelsius,
    smClockMHz: g.smClockMHz,
    energyJoules: g.energyMillijoules === undefined ? undefined : g.energyMillijoules / 1000,
    grEngineActiveRatio: g.grEngineActiveRatio,
    dramActiveRatio: g.dramActiveRatio,
    memoryClockMHz: g.memClockMHz,
    lastXid: g.xid,
    eccSingleBitVolatileCount: optional(g.eccSbeVolatile),
    eccDoubleBitVolatileCount: optional(g.eccDbeVolatile),
    retiredPagesDoubleBitCount: optional(g.retiredPagesDbe),
    remappedRowsUncorrectableCount: g.uncorrectableRemappedRows,
    rowRemapFailureFlag: g.rowRemapFailure,
    clocksEventReasonsMask: optional(g.clocksEventReasons),
    pcieReplayCount: g.pcieReplays,
    nvlinkCrcFlitErrorCount: optional(g.nvlinkCrcFlitErrors),
    nvlinkCrcDataErrorCount: optional(g.nvlinkCrcDataErrors),
    nvlinkReplayErrorCount: optional(g.nvlinkReplayErrors),
    nvlinkRecoveryErrorCount: optional(g.nvlinkRecoveryErrors),
    observedAt,
    invalidReadings: undefined,
  };
}
