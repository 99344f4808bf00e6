import type { PartialResult } from '@kcloud/common';
import {
  type FleetModel,
  HOST_PHYSICAL_NET_DEVICES,
  type SimHost,
  type SimNetDevice,
  simHost,
} from '@kcloud/fleet-model';
import type { HostFilter, HostSample, HostSource } from './host.port';

/** The simulated fleet's hosts, as node_exporter on each node would report them now. */
export class SimulatedHosts implements HostSource {
  constructor(private readonly model: FleetModel) {}

  nodeHosts(filter: HostFilter): Promise<PartialResult<HostSample>> {
    const now = Date.now();
    const items = this.model
      .nodes()
      .filter(
        (n) =>
          (!filter.clusters || filter.clusters.includes(n.cluster)) &&
          (!filter.nodes || filter.nodes.includes(n.name)),
      )
      .map((n) => hostSampleOf(simHost(n.cluster, n.name, now)));
    return Promise.resolve({ items, failures: [] });
  }
}

/** A simulated host as node_exporter's collectors and the instant read would report it. */
export function hostSampleOf(h: SimHost): HostSample {
  const root = h.filesystems.find((f) => f.mountpoint === '/' && !['tmpfs', 'overlay'].includes(f.fstype));
  const physical = h.network.filter((d) =>
    (HOST_PHYSICAL_NET_DEVICES as readonly string[]).includes(d.device),
  );
  return {
    cluster: h.cluster,
    node: h.node,
    memoryTotalBytes: h.memoryTotalBytes,
    memoryAvailableBytes: h.memoryAvailableBytes,
    cpuCores: h.cores.map((c) => ({ cpu: c.cpu, utilizationPercent: c.utilizationRatio * 100 })),
    ...h.load,
    rootFilesystemSizeBytes: root?.sizeBytes,
    rootFilesystemAvailableBytes: root?.availBytes,
    networkReceiveBytesPerSecond: sumOver(physical, (d) => d.receiveBytesPerSecond),
    networkTransmitBytesPerSecond: sumOver(physical, (d) => d.transmitBytesPerSecond),
  };
}

const sumOver = (devices: readonly SimNetDevice[], rate: (d: SimNetDevice) => number): number =>
  devices.reduce((total, d) => total + rate(d), 0);
