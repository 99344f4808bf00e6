import { Injectable } from '@nestjs/common';
import type { PartialResult } from '@kcloud/common';
import type { FleetModel, SimGpu } from '@kcloud/fleet-sim';
import { matchesDevice, matchesNothing } from '../device-filter';
import type { ClusterHealth, DeviceFilter, GpuSample, MetricSource } from '../metric-source.port';

/**
 * The embedded adapter: answers from the fleet simulator's model in-process, so a fresh `npm start` serves a live
 * demo fleet without Prometheus. It reports exactly what the simulated exporters would, so the contract suite can
 * hold it to the same assertions as PrometheusSource.
 */
@Injectable()
export class SimulatedSource implements MetricSource {
  readonly kind = 'simulated' as const;

  constructor(
    readonly model: FleetModel,
    private readonly now: () => number = Date.now,
  ) {}

  clusterNames(): readonly string[] {
    return this.model.clusters();
  }

  async health(): Promise<readonly ClusterHealth[]> {
    const at = new Date(this.now());
    return this.model
      .clusters()
      .map((cluster) => ({ cluster, status: 'up' as const, latencyMs: 0, lastSuccessAt: at }));
  }

  async gpuSamples(filter: DeviceFilter): Promise<PartialResult<GpuSample>> {
    if (matchesNothing(filter)) return { items: [], failures: [] };
    const at = this.now();
    const items = this.model
      .gpus(undefined, at)
      .filter((g) => matchesDevice(filter, g))
      .map((g) => toSample(g, at));
    return { items, failures: [] };
  }
}

function toSample(g: SimGpu, atMs: number): GpuSample {
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
    energyJoules: g.energyMillijoules / 1000,
    grEngineActiveRatio: g.grEngineActiveRatio,
    dramActiveRatio: g.dramActiveRatio,
    observedAt: new Date(atMs),
  };
}
