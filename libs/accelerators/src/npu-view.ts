import type { NpuSample } from '@kcloud/metrics-source';
import { AcceleratorKind } from './models/accelerator.model';
import type { Npu } from './models/npu.model';

/** Maps a source sample to the GraphQL shape; the card's UUID is its id. */
export function toNpu(s: NpuSample): Npu {
  return {
    id: s.uuid,
    kind: AcceleratorKind.NPU,
    vendor: s.vendor,
    uuid: s.uuid,
    model: s.model,
    cluster: s.cluster,
    node: s.node,
    index: s.index,
    device: s.device,
    pciBusId: s.pciBusId,
    driverVersion: s.driverVersion,
    firmwareVersion: s.firmwareVersion,
    namespace: s.namespace,
    pod: s.pod,
    container: s.container,
    utilizationPercent: s.utilizationPercent,
    coreCount: s.coreCount,
    memoryUsedMiB: s.memoryUsedMiB,
    memoryTotalMiB: s.memoryTotalMiB,
    powerWatts: s.powerWatts,
    temperatureCelsius: s.temperatureCelsius,
    ambientTemperatureCelsius: s.ambientTemperatureCelsius,
    healthy: s.healthy,
    observedAt: s.observedAt,
  };
}

/** Stable listing order: cluster, node, vendor, device index. */
export function compareNpus(a: NpuSample, b: NpuSample): number {
  return (
    a.cluster.localeCompare(b.cluster) ||
    a.node.localeCompare(b.node) ||
    a.vendor.localeCompare(b.vendor) ||
    a.index - b.index
  );
}
