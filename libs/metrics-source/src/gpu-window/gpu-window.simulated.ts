import type { PartialResult } from '@kcloud/common';
import { type FleetModel, type SimGpu, windowAverages } from '@kcloud/fleet-model';
import { matchesNothing } from '../shared/device-filter';
import { matchesWindowAggregate } from './gpu-window-filter';
import type { DeviceFilter } from '../shared/device-filter';
import type { GpuTenant, GpuWindowAggregate, GpuWindowQuery, GpuWindowSource } from './gpu-window.port';

/** Window aggregates straight from the model: the exact time-averages the simulated exporters' samples approximate. */
export class SimulatedGpuWindow implements GpuWindowSource {
  private readonly tenants = new TenantLists();

  constructor(
    private readonly model: FleetModel,
    private readonly now: () => number = Date.now,
  ) {}

  async gpuWindowAggregates(
    filter: DeviceFilter,
    query: GpuWindowQuery,
  ): Promise<PartialResult<GpuWindowAggregate>> {
    return windowAggregates(this.model, filter, query, this.now(), this.tenants);
  }
}

function windowAggregates(
  model: FleetModel,
  filter: DeviceFilter,
  query: GpuWindowQuery,
  nowMs: number,
  tenantLists: TenantLists,
): PartialResult<GpuWindowAggregate> {
  if (matchesNothing(filter)) return { items: [], failures: [] };
  const toMs = query.at?.getTime() ?? nowMs;
  // One Date for the read (every device's newest sample is at its end): the analyzer keeps it in each score record.
  const observedAt = new Date(toMs);
  const tenantsOf = tenantLists.reader();
  const items = windowAverages(model, toMs - query.windowSeconds * 1000, toMs)
    .map(({ gpu, averages }): GpuWindowAggregate => {
      // Health counters are states: the injected fault now (the analyzer does not score a failing device).
      const health = model.faults.healthOf(gpu.uuid);
      return {
        lastXid: health.xid,
        eccDoubleBitVolatileCount: health.eccDbeVolatile,
        cluster: gpu.cluster,
        node: gpu.node,
        uuid: gpu.uuid,
        index: gpu.index,
        model: gpu.model,
        migProfile: gpu.migProfile,
        migInstanceId: gpu.migInstanceId,
        tenants: tenantsOf(gpu),
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
        observedAt,
      };
    })
    .filter((a) => matchesWindowAggregate(filter, a));
  return { items, failures: [] };
}

const UNALLOCATED: readonly GpuTenant[] = Object.freeze([]);

/**
 * A device's tenant list, the same frozen array from one read to the next while its holder stays the same: the
 * analyzer keeps every cycle's lists in its records, and a new array per device and cycle is ~100 B each. Only the
 * lists the latest read used are kept, so pods that went away do not accumulate.
 */
class TenantLists {
  private lists = new Map<string, readonly GpuTenant[]>();

  /** A lookup for one read; the lists it hands out replace the previous read's. */
  reader(): (gpu: Pick<SimGpu, 'namespace' | 'pod' | 'container'>) => readonly GpuTenant[] {
    const previous = this.lists;
    const next = new Map<string, readonly GpuTenant[]>();
    this.lists = next;
    return ({ namespace, pod, container }) => {
      if (!pod) return UNALLOCATED;
      const key = `${namespace}\u0000${pod}\u0000${container}`;
      let list = next.get(key) ?? previous.get(key);
      if (!list) list = Object.freeze([Object.freeze({ namespace, pod, container })]);
      next.set(key, list);
      return list;
    };
  }
}
