import type { PartialResult } from '@kcloud/common';
import { type FleetModel, simHost } from '@kcloud/fleet-model';
import type { SeriesRange } from '../gpu-series/gpu-series.port';
import type { HostFilter } from './host.port';
import { hostSampleOf } from './host.simulated';
import { type HostSeriesPoint, hostSeriesPointOf, type HostSeriesSource } from './host-series.port';

/** The simulated hosts at every step of the range up to now. */
export class SimulatedHostSeries implements HostSeriesSource {
  constructor(
    private readonly model: FleetModel,
    private readonly now: () => number = Date.now,
  ) {}

  nodeHostSeries(filter: HostFilter, range: SeriesRange): Promise<PartialResult<HostSeriesPoint>> {
    const nodes = this.model
      .nodes()
      .filter(
        (n) =>
          (!filter.clusters || filter.clusters.includes(n.cluster)) &&
          (!filter.nodes || filter.nodes.includes(n.name)),
      );
    const items: HostSeriesPoint[] = [];
    const end = Math.min(range.to.getTime(), this.now());
    for (let t = range.from.getTime(); t <= end; t += range.stepSeconds * 1000)
      for (const n of nodes) {
        const { cpuCores, ...host } = hostSampleOf(simHost(n.cluster, n.name, t));
        const busy = cpuCores.length
          ? cpuCores.reduce((sum, c) => sum + c.utilizationPercent, 0) / cpuCores.length
          : undefined;
        items.push(hostSeriesPointOf(host, t, busy));
      }
    return Promise.resolve({ items, failures: [] });
  }
}
