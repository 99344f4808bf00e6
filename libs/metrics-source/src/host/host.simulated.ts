import type { PartialResult } from '@kcloud/common';
import { type FleetModel, simHost } from '@kcloud/fleet-model';
import type { HostFilter, HostSample, HostSource } from './host.port';

/** The simulated fleet's hosts, as node_exporter on each node would report them now. */
export class SimulatedHosts implements HostSource {
  constructor(private readonly model: FleetModel) {}

  nodeHosts(filter: HostFilter): Promise<PartialResult<HostSample>> {
    const now = Date.now();
    const items = this.model
      .nodes()
      .filter((n) => (!filter.clusters || filter.clusters.includes(n.cluster)) && (!filter.nodes || filter.nodes.includes(n.name)))
      .map((n): HostSample => {
        const h = simHost(n.cluster, n.name, now);
        return {
          cluster: n.cluster,
          node: n.name,
          memoryTotalBytes: h.memoryTotalBytes,
          memoryAvailableBytes: h.memoryAvailableBytes,
          cpuCores: h.cores.map((c) => ({ cpu: c.cpu, utilizationPercent: c.utilizationRatio * 100 })),
        };
      });
    return Promise.resolve({ items, failures: [] });
  }
}
