import type { PartialResult } from '@kcloud/common';
import type { ClusterRegistry } from '@kcloud/prometheus';
import { matchesNothing } from '../shared/device-filter';
import type { DeviceFilter } from '../shared/device-filter';
import type { GpuProcessSample, GpuProcessSource } from './gpu-process.port';
import { gpuProcessesQuery, joinGpuProcesses } from './gpu-process-join';

/**
 * GPU processes of every selected cluster: one request per cluster, whichever exporter reports them (a dcgm-only
 * cluster simply answers none). GPU UUID filters apply in memory, since the two exporters spell UUIDs differently.
 */
export class PrometheusGpuProcesses implements GpuProcessSource {
  constructor(private readonly registry: ClusterRegistry) {}

  async gpuProcesses(filter: DeviceFilter): Promise<PartialResult<GpuProcessSample>> {
    if (matchesNothing(filter)) return { items: [], failures: [] };
    const { results, failures } = await this.registry.fanOut(filter.clusters, async (client, cluster) =>
      joinGpuProcesses(
        cluster.name,
        await client.instant(gpuProcessesQuery(this.registry.scopeMatchers(cluster.name))),
      ),
    );
    const uuids = filter.uuids;
    const items = results.flatMap((r) => r.value).filter((p) => !uuids || uuids.includes(p.gpuUuid));
    return { items, failures };
  }
}
