import { Injectable } from '@nestjs/common';
import type { PartialResult } from '@kcloud/common';
import type { FleetModel, ReportedGpu } from '@kcloud/fleet-model';
import { matchesDevice, matchesNothing } from '../shared/device-filter';
import type { ClusterHealth, DeviceFilter, GpuSample, MetricSource } from './gpu-sample';
import type { GpuPowerPoint, GpuSeriesPoint, SeriesRange } from '../gpu-series/gpu-series.port';
import type {
  ContainerPowerSample,
  FacilityPowerSample,
  FacilitySourceInfo,
  InfraFilter,
  IpmiSensorSample,
  KubeNodeSample,
  NodeEnergySample,
  NodePowerSample,
  NodePowerSeries,
  PodEnergySample,
  PodPowerSample,
  PodPowerSeries,
  PowerRangeWindow,
} from '../power/power.port';
import { SimulatedPowerReader } from '../power/power.simulated';
import { SimulatedGpuSeries } from '../gpu-series/gpu-series.simulated';
import { judgedGpuSample } from '../shared/simulated-readings';
import type { GpuWindowAggregate, GpuWindowQuery } from '../gpu-window/gpu-window.port';
import { simulatedGpuWindow } from '../gpu-window/gpu-window.simulated';
import type { GpuProcessSample, NpuSample } from '../npus/npu.port';
import { simulatedGpuProcesses, simulatedNpuSamples } from '../npus/npu.simulated';

/**
 * The embedded adapter: answers from the fleet simulator's model in-process, so a fresh `npm start` serves a live
 * demo fleet without Prometheus. It reports exactly what the simulated exporters would, so the contract suite can
 * hold it to the same assertions as PrometheusSource.
 */
@Injectable()
export class SimulatedSource implements MetricSource {
  readonly kind = 'simulated' as const;
  private readonly series: SimulatedGpuSeries;
  private readonly powerReader: SimulatedPowerReader;

  constructor(
    readonly model: FleetModel,
    private readonly now: () => number = Date.now,
  ) {
    this.series = new SimulatedGpuSeries(model, (g, t) => judgedGpuSample(toSample(g, t), model.blanks));
    this.powerReader = new SimulatedPowerReader(model, now);
  }

  clusterNames(): readonly string[] {
    return this.model.clusters();
  }

  async health(): Promise<readonly ClusterHealth[]> {
    const at = new Date(this.now());
    return this.model
      .clusters()
      .map((cluster) => ({ cluster, status: 'up' as const, latencyMs: 0, lastSuccessAt: at }));
  }

  async gpuWindowAggregates(
    filter: DeviceFilter,
    query: GpuWindowQuery,
  ): Promise<PartialResult<GpuWindowAggregate>> {
    return simulatedGpuWindow(this.model, filter, query, this.now());
  }

  gpuMetricSeries(filter: DeviceFilter, range: SeriesRange): AsyncIterable<PartialResult<GpuSeriesPoint>> {
    return this.series.gpuMetricSeries(filter, range);
  }

  gpuPowerSeries(filter: DeviceFilter, range: SeriesRange): AsyncIterable<PartialResult<GpuPowerPoint>> {
    return this.series.gpuPowerSeries(filter, range);
  }

  // --- power and infrastructure (power.reader / power.simulated)
  nodePower(filter: InfraFilter): Promise<PartialResult<NodePowerSample>> {
    return this.powerReader.nodePower(filter);
  }
  podPower(filter: InfraFilter): Promise<PartialResult<PodPowerSample>> {
    return this.powerReader.podPower(filter);
  }
  containerPower(filter: InfraFilter): Promise<PartialResult<ContainerPowerSample>> {
    return this.powerReader.containerPower(filter);
  }
  kubeNodes(filter: InfraFilter): Promise<PartialResult<KubeNodeSample>> {
    return this.powerReader.kubeNodes(filter);
  }
  ipmiSensors(filter: InfraFilter): Promise<PartialResult<IpmiSensorSample>> {
    return this.powerReader.ipmiSensors(filter);
  }
  facilityPower(filter: InfraFilter): Promise<PartialResult<FacilityPowerSample>> {
    return this.powerReader.facilityPower(filter);
  }
  nodePowerRange(filter: InfraFilter, window: PowerRangeWindow): Promise<PartialResult<NodePowerSeries>> {
    return this.powerReader.nodePowerRange(filter, window);
  }
  podPowerRange(filter: InfraFilter, window: PowerRangeWindow): Promise<PartialResult<PodPowerSeries>> {
    return this.powerReader.podPowerRange(filter, window);
  }
  nodeEnergy(filter: InfraFilter, from: Date, to: Date): Promise<PartialResult<NodeEnergySample>> {
    return this.powerReader.nodeEnergy(filter, from, to);
  }
  podEnergy(filter: InfraFilter, from: Date, to: Date): Promise<PartialResult<PodEnergySample>> {
    return this.powerReader.podEnergy(filter, from, to);
  }
  facilitySource(): FacilitySourceInfo | undefined {
    return this.powerReader.facilitySource();
  }

  async gpuSamples(filter: DeviceFilter): Promise<PartialResult<GpuSample>> {
    if (matchesNothing(filter)) return { items: [], failures: [] };
    const at = this.now();
    const items = this.model
      .reportedGpus(undefined, at)
      .filter((g) => matchesDevice(filter, g))
      .map((g) => judgedGpuSample(toSample(g, at, this.model.dcgmAllHealthCounters), this.model.blanks));
    return { items, failures: [] };
  }

  async npuSamples(filter: DeviceFilter): Promise<PartialResult<NpuSample>> {
    return simulatedNpuSamples(this.model, filter, this.now());
  }

  async gpuProcesses(filter: DeviceFilter): Promise<PartialResult<GpuProcessSample>> {
    return simulatedGpuProcesses(this.model, filter, this.now());
  }
}

/** A GPU as its cluster's exporter reports it (all of dcgm's fields, fewer for all-smi / nvidia_gpu_exporter). */
function toSample(g: ReportedGpu, atMs: number, allHealthCounters = false): GpuSample {
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
    observedAt: new Date(atMs),
  };
}
