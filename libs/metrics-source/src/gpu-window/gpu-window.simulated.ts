import type { PartialResult } from '@kcloud/common';
import { type FleetModel, windowAverages } from '@kcloud/fleet-model';
import { matchesNothing } from '../shared/device-filter';
import { matchesWindowAggregate } from './gpu-window-filter';
import type { DeviceFilter } from '../shared/device-filter';
import type { GpuWindowAggregate, GpuWindowQuery, GpuWindowSource } from './gpu-window.port';

/** Window aggregates straight from the model: the exact time-averages the simulated exporters' samples approximate. */
export class SimulatedGpuWindow implements GpuWindowSource {
  constructor(
    private readonly model: FleetModel,
    private readonly now: () => number = Date.now,
  ) {}

  async gpuWindowAggregates(
    filter: DeviceFilter,
    query: GpuWindowQuery,
  ): Promise<PartialResult<GpuWindowAggregate>> {
    return windowAggregates(this.model, filter, query, this.now());
  }
}

function windowAggregates(
  model: FleetModel,
  filter: DeviceFilter,
  query: GpuWindowQuery,
  nowMs: number,
): PartialResult<GpuWindowAggregate> {
  if (matchesNothing(filter)) return { items: [], failures: [] };
  const toMs = query.at?.getTime() ?? nowMs;
  const items = windowAverages(model, toMs - query.windowSeconds * 1000, toMs)
    .map(
      ({ gpu, averages }): GpuWindowAggregate => ({
        // Health counters are states: the injected fault now (the analyzer does not score a failing device).
        lastXid: model.faults.healthOf(gpu.uuid).xid,
        eccDoubleBitVolatileCount: model.faults.healthOf(gpu.uuid).eccDbeVolatile,
        cluster: gpu.cluster,
        node: gpu.node,
        uuid: gpu.uuid,
        index: gpu.index,
        model: gpu.model,
        migProfile: gpu.migProfile,
        migInstanceId: gpu.migInstanceId,
        tenants: gpu.pod ? [{ namespace: gpu.namespace, pod: gpu.pod, container: gpu.container }] : [],
        utilizationPercent: averages.utilizationPercent,
        memoryCopyUtilizationPercent: averages.memoryCopyUtilizationPercent,
        memoryUsedMiB: averages.memoryUsedMiB,
        memoryFreeMiB: averages.memoryFreeMiB,
        memoryReservedMiB: averages.memoryReservedMiB,
        powerWatts: averages.powerWatts,
        powerLimitWatts: averages.powerLimitWatts,
        smClockMHz: averages.smClockMHz,
        grEngineActiveRatio: averages.grEngineActiveRatio,
        dramActiveRatio: averages.dramActiveRatio,
        observedAt: new Date(toMs),
      }),
    )
    .filter((a) => matchesWindowAggregate(filter, a));
  return { items, failures: [] };
}
