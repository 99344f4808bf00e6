import type { AppConfig, PartialResult } from '@kcloud/common';
import { type ClusterRegistry, type Matcher, oneOf } from '@kcloud/prometheus';
import { matchesNothing } from '../device-filter';
import { matchesWindowAggregate } from '../gpu-window-filter';
import type { DeviceFilter } from '../metric-source.port';
import type { GpuWindowAggregate, GpuWindowQuery } from '../ports/gpu-window.port';
import { joinGpuWindow } from './gpu-window-join';
import { WINDOW_BATCHES, windowBatchQuery } from './gpu-window-queries';
import { gpuIdentityQuery } from './gpu-queries';
import { detectFromLabels, labelNamesFor } from './tenant-labels';

/**
 * Window aggregates from Prometheus: per cluster one identity request (full labels) and one per window batch, all in
 * parallel and evaluated at the same instant — 1 + WINDOW_BATCHES.length requests whatever the GPU count. Tenant filters are applied after the join, so the tenant label spelling is read from the data itself.
 */
export class PrometheusGpuWindowReader {
  private readonly exporterPod: RegExp;

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly config: AppConfig,
  ) {
    this.exporterPod = new RegExp(config.prometheus.exporterPodPattern);
  }

  async read(filter: DeviceFilter, query: GpuWindowQuery): Promise<PartialResult<GpuWindowAggregate>> {
    if (matchesNothing(filter)) return { items: [], failures: [] };
    const time = query.at ?? new Date();
    const { results, failures } = await this.registry.fanOut(filter.clusters, async (client, cluster) => {
      const matchers: Matcher[] = [...this.registry.scopeMatchers(cluster.name)];
      if (filter.models) matchers.push(oneOf('modelName', filter.models));
      if (filter.uuids) matchers.push(oneOf('UUID', filter.uuids));
      const [identity, ...windows] = await Promise.all([
        client.instant(gpuIdentityQuery(matchers), { time }),
        ...WINDOW_BATCHES.map((batch) =>
          client.instant(windowBatchQuery(batch, matchers, query.windowSeconds), { time }),
        ),
      ]);
      const configured = cluster.tenantLabels ?? this.config.prometheus.tenantLabels;
      const mode =
        configured !== 'auto' ? configured : (detectFromLabels(identity.map((s) => s.labels)) ?? 'plain');
      return joinGpuWindow(cluster.name, identity, windows.flat(), labelNamesFor(mode), this.exporterPod);
    });
    const items = results.flatMap((r) => r.value).filter((a) => matchesWindowAggregate(filter, a));
    return { items, failures };
  }
}
