import type { AppConfig, PartialResult } from '@kcloud/common';
import type { ClusterRegistry } from '@kcloud/prometheus';
import { type DeviceFilter, matchesDevice, matchesNothing } from '../shared/device-filter';
import { readAltGpuSamples } from './alt-gpu.reader';
import type { GpuSample } from './gpu-sample';
import type { GpuSnapshotSource } from './gpu-snapshot.port';
import { joinGpuSamples } from './gpu-join';
import { deviceMatchers, gpuIdentityQuery, gpuValuesQuery } from './gpu-queries';
import { detectFromLabels, labelNamesFor } from './tenant-labels';
import type { DcgmTenantShapes } from './tenant-shapes';

/**
 * Current GPU values from Prometheus: every selected cluster in parallel, two requests per cluster whatever the GPU
 * count, joined in memory by (UUID, GPU_I_ID). Clusters whose GPU exporter is all-smi or nvidia_gpu_exporter are read
 * through their own families.
 */
export class PrometheusGpuSnapshot implements GpuSnapshotSource {
  private readonly exporterPod: RegExp;

  constructor(
    private readonly registry: ClusterRegistry,
    config: AppConfig,
    private readonly shapes: DcgmTenantShapes,
  ) {
    this.exporterPod = new RegExp(config.prometheus.exporterPodPattern);
  }

  async gpuSamples(filter: DeviceFilter): Promise<PartialResult<GpuSample>> {
    if (matchesNothing(filter)) return { items: [], failures: [] };
    const { results, failures } = await this.registry.fanOut(filter.clusters, async (client, cluster) => {
      const scope = this.registry.scopeMatchers(cluster.name);
      if ((cluster.gpuExporter ?? 'dcgm') !== 'dcgm')
        return readAltGpuSamples(client, cluster, filter, scope);
      const mode = await this.shapes.shapeOf(client, cluster, filter);
      const names = labelNamesFor(mode);
      const matchers = deviceMatchers(filter, names, scope);
      const [identity, values] = await Promise.all([
        client.instant(gpuIdentityQuery(matchers)),
        client.instant(gpuValuesQuery(matchers)),
      ]);
      if (
        this.shapes.modeOf(cluster) === 'auto' &&
        detectFromLabels(identity.map((s) => s.labels)) &&
        mode !== 'exported'
      ) {
        // The shape changed (first allocation seen): remember it and read the tenants again with the right names.
        this.shapes.remember(cluster, 'exported', true);
        return joinGpuSamples(cluster.name, identity, values, labelNamesFor('exported'), this.exporterPod);
      }
      this.shapes.remember(cluster, mode);
      return joinGpuSamples(cluster.name, identity, values, names, this.exporterPod);
    });
    const items = results.flatMap((r) => r.value).filter((g) => matchesDevice(filter, g));
    return { items, failures };
  }
}
