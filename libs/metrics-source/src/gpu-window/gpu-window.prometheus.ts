import type { AppConfig, PartialResult } from '@kcloud/common';
import { type ClusterRegistry, type Matcher, oneOf, type PrometheusClient } from '@kcloud/prometheus';
import { matchesNothing } from '../shared/device-filter';
import { matchesWindowAggregate } from './gpu-window-filter';
import type { DeviceFilter } from '../shared/device-filter';
import type { GpuWindowAggregate, GpuWindowQuery, GpuWindowSource } from './gpu-window.port';
import { readAltGpuWindow } from './alt-gpu-window';
import {
  constantQueries,
  type ConstantsEntry,
  DeviceConstantsCache,
  type DeviceConstants,
  foldConstants,
} from './device-constants';
import { joinGpuWindow, WindowValues } from './gpu-window-join';
import { WINDOW_FAMILIES, windowFamilyQuery } from './gpu-window-queries';
import { gpuIdentityQuery } from '../gpu-snapshot/gpu-queries';
import { dcgmKeyOf } from '../gpu-snapshot/gpu-join';
import { detectFromLabels, labelNamesFor } from '../gpu-snapshot/tenant-labels';

/**
 * Window aggregates from Prometheus (dcgm-exporter clusters here; all-smi and nvidia_gpu_exporter clusters in
 * alt-gpu-window.ts). Per cluster and read: one identity request (full labels) and one per window
 * family, all in parallel and evaluated at the same instant; the device constants (capacity, reservation, power
 * limit) add three requests when their cache has expired or a device is new. At most
 * 1 + WINDOW_FAMILIES.length + 3 requests whatever the GPU count. Tenant filters are applied after the join, so the
 * tenant label spelling is read from the data itself.
 */
export class PrometheusGpuWindow implements GpuWindowSource {
  private readonly exporterPod: RegExp;
  private readonly constants: DeviceConstantsCache;

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly config: AppConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.exporterPod = new RegExp(config.prometheus.exporterPodPattern);
    this.constants = new DeviceConstantsCache(config.analyzer.constantsTtlSeconds, now);
  }

  async gpuWindowAggregates(
    filter: DeviceFilter,
    query: GpuWindowQuery,
  ): Promise<PartialResult<GpuWindowAggregate>> {
    if (matchesNothing(filter)) return { items: [], failures: [] };
    const time = query.at ?? new Date(this.now());
    // Only the fleet-wide read near now is cached (the analyzer's); anything else asks Prometheus.
    const cacheable =
      !filter.models &&
      !filter.uuids &&
      Math.abs(time.getTime() - this.now()) < this.config.analyzer.constantsTtlSeconds * 1000;
    const { results, failures } = await this.registry.fanOut(filter.clusters, async (client, cluster) => {
      if ((cluster.gpuExporter ?? 'dcgm') !== 'dcgm')
        return readAltGpuWindow(
          client,
          cluster,
          filter,
          this.registry.scopeMatchers(cluster.name),
          query.windowSeconds,
          time,
        );
      const matchers: Matcher[] = [...this.registry.scopeMatchers(cluster.name)];
      if (filter.models) matchers.push(oneOf('modelName', filter.models));
      if (filter.uuids) matchers.push(oneOf('UUID', filter.uuids));
      const cacheKey = `${cluster.name}\u0000${cluster.url}`;
      const cached = cacheable ? this.constants.fresh(cacheKey) : undefined;
      const fetchConstants = () => readConstants(client, matchers, time);
      const values = new WindowValues();
      const fetchedAt = this.now();
      const [identity, fetched] = await Promise.all([
        client.instant(gpuIdentityQuery(matchers), { time }),
        cached ? undefined : fetchConstants(),
        ...WINDOW_FAMILIES.map(async (family) =>
          values.add(
            family,
            await client.instant(windowFamilyQuery(family, matchers, query.windowSeconds), { time }),
          ),
        ),
      ]);
      const devices = new Set(identity.filter((s) => s.labels.UUID).map((s) => dcgmKeyOf(s.labels)));
      let constants: ReadonlyMap<string, DeviceConstants>;
      if (fetched) constants = this.remember(cacheable, cacheKey, fetched, devices, fetchedAt).values;
      else if (DeviceConstantsCache.covers(cached!, devices)) constants = cached!.values;
      else constants = this.remember(cacheable, cacheKey, await fetchConstants(), devices, this.now()).values;
      const configured = cluster.tenantLabels ?? this.config.prometheus.tenantLabels;
      const mode =
        configured !== 'auto' ? configured : (detectFromLabels(identity.map((s) => s.labels)) ?? 'plain');
      return joinGpuWindow(cluster.name, identity, values, constants, labelNamesFor(mode), this.exporterPod);
    });
    const items = results.flatMap((r) => r.value).filter((a) => matchesWindowAggregate(filter, a));
    return { items, failures };
  }

  private remember(
    cacheable: boolean,
    cacheKey: string,
    values: ReadonlyMap<string, DeviceConstants>,
    devices: ReadonlySet<string>,
    fetchedAt: number,
  ): Pick<ConstantsEntry, 'values'> {
    return cacheable ? this.constants.store(cacheKey, values, devices, fetchedAt) : { values };
  }
}

async function readConstants(
  client: PrometheusClient,
  matchers: readonly Matcher[],
  time: Date,
): Promise<Map<string, DeviceConstants>> {
  const answers = await Promise.all(
    constantQueries(matchers).map(async ({ field, query }) => ({
      field,
      samples: await client.instant(query, { time }),
    })),
  );
  return foldConstants(answers);
}
