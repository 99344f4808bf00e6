import type { PartialResult } from '@kcloud/common';
import type { FleetModel } from '@kcloud/fleet-model';
import { type DeviceFilter, matchesNothing } from '../shared/device-filter';
import type { GpuProcessSample, GpuProcessSource } from './gpu-process.port';

/** The processes each cluster's GPU exporter reports (none on dcgm clusters), filtered by cluster and GPU UUID. */
export class SimulatedGpuProcesses implements GpuProcessSource {
  constructor(
    private readonly model: FleetModel,
    private readonly now: () => number = Date.now,
  ) {}

  async gpuProcesses(filter: DeviceFilter): Promise<PartialResult<GpuProcessSample>> {
    return processesAt(this.model, filter, this.now());
  }
}

function processesAt(model: FleetModel, filter: DeviceFilter, atMs: number): PartialResult<GpuProcessSample> {
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
