import type { PartialResult } from '@kcloud/common';
import type { FleetModel, SimNpu } from '@kcloud/fleet-model';
import { matchesDevice, matchesNothing } from '../shared/device-filter';
import type { DeviceFilter } from '../gpu-snapshot/gpu-sample';
import type { GpuProcessSample, NpuSample } from './npu.port';
import { judgedFields } from '../shared/simulated-readings';

/** NPU cards as their exporters report them at `atMs` (Furiosa: no memory; Rebellions: no ambient sensor). */
export function simulatedNpuSamples(
  model: FleetModel,
  filter: DeviceFilter,
  atMs: number,
): PartialResult<NpuSample> {
  if (matchesNothing(filter)) return { items: [], failures: [] };
  const items = model
    .npus(undefined, atMs)
    .filter((n) => matchesDevice(filter, n))
    .map((n) => judgedFields(toNpuSample(n, atMs), NPU_READINGS));
  return { items, failures: [] };
}

/** The processes each cluster's GPU exporter reports (none on dcgm clusters), filtered by cluster and GPU UUID. */
export function simulatedGpuProcesses(
  model: FleetModel,
  filter: DeviceFilter,
  atMs: number,
): PartialResult<GpuProcessSample> {
  if (matchesNothing(filter)) return { items: [], failures: [] };
  const items = model
    .gpuProcesses(undefined, atMs)
    .filter(
      (p) =>
        (!filter.clusters || filter.clusters.includes(p.cluster)) &&
        (!filter.uuids || filter.uuids.includes(p.gpuUuid)),
    )
    .map(
      (p): GpuProcessSample => ({
        cluster: p.cluster,
        gpuUuid: p.gpuUuid,
        pid: p.pid,
        name: p.name,
        user: p.user,
        command: p.command,
        gpuMemoryUsedMiB: p.gpuMemoryUsedMiB,
        cpuPercent: p.cpuPercent,
        observedAt: new Date(atMs),
      }),
    );
  return { items, failures: [] };
}

const NPU_READINGS = [
  'utilizationPercent',
  'memoryUsedMiB',
  'memoryTotalMiB',
  'powerWatts',
  'temperatureCelsius',
  'ambientTemperatureCelsius',
] as const;

function toNpuSample(n: SimNpu, atMs: number): NpuSample {
  return {
    cluster: n.cluster,
    node: n.node,
    uuid: n.uuid,
    vendor: n.vendor,
    model: n.model,
    device: n.device,
    index: n.index,
    // rbln-metrics-exporter prints no PCI address.
    pciBusId: n.vendor === 'furiosa' ? n.pciBusId : undefined,
    driverVersion: n.driverVersion,
    firmwareVersion: n.firmwareVersion,
    namespace: n.namespace,
    pod: n.pod,
    container: n.container,
    utilizationPercent: n.utilizationPercent,
    // Only a Furiosa card's device-wise `core` label tells its core count.
    coreCount: n.vendor === 'furiosa' ? n.coreCount : undefined,
    memoryUsedMiB: n.memoryUsedMiB,
    memoryTotalMiB: n.memoryTotalMiB,
    powerWatts: n.powerWatts,
    temperatureCelsius: n.temperatureCelsius,
    ambientTemperatureCelsius: n.ambientTemperatureCelsius,
    healthy: n.healthy,
    observedAt: new Date(atMs),
  };
}
