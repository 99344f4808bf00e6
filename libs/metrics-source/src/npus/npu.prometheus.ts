import type { AppConfig, ClusterConfig, PartialResult } from '@kcloud/common';
import type { ClusterRegistry, Matcher, PrometheusClient } from '@kcloud/prometheus';
import { matchesDevice, matchesNothing } from '../shared/device-filter';
import type { DeviceFilter } from '../shared/device-filter';
import type { NpuSample, NpuSource } from './npu.port';
import { joinNpuSamples } from './npu-join';
import { npuIdentityQuery, npuValuesQuery } from './npu-queries';
import { detectFromLabels, labelNamesFor } from '../gpu-snapshot/tenant-labels';
import {
  ALL_SMI_NPU_TYPES,
  allSmiIdentityQuery,
  allSmiValuesQuery,
  joinAllSmi,
} from '../gpu-snapshot/all-smi';
import { allSmiNpuSamples } from './all-smi-npus';

/** The NPU exporters' own pods, which a Kubernetes scrape attaches as `pod` to cards nobody holds. */
const NPU_EXPORTER_PODS = '(furiosa|rbln)-metrics-exporter';

/**
 * NPU cards of every selected cluster: two requests per cluster (identity, values), both vendors together, whatever
 * the card count. Tenant labels follow the cluster's DCGM_TENANT_LABELS mode; in `auto` a cluster is read in the
 * exported shape as soon as one card row carries exported_* labels. Filters apply in memory: NPU fleets are small and
 * one query must serve both vendors' label names.
 */
export class PrometheusNpus implements NpuSource {
  private readonly exporterPod: RegExp;

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly config: AppConfig,
  ) {
    this.exporterPod = npuExporterPods(config);
  }

  async npuSamples(filter: DeviceFilter): Promise<PartialResult<NpuSample>> {
    if (matchesNothing(filter)) return { items: [], failures: [] };
    const { results, failures } = await this.registry.fanOut(filter.clusters, async (client, cluster) => {
      const scope = this.registry.scopeMatchers(cluster.name);
      const [identity, values] = await Promise.all([
        client.instant(npuIdentityQuery(scope)),
        client.instant(npuValuesQuery(scope)),
      ]);
      const mode = npuTenantMode(this.config, cluster, identity);
      const cards = joinNpuSamples(cluster.name, identity, values, labelNamesFor(mode), this.exporterPod);
      return cluster.gpuExporter === 'all-smi'
        ? [...cards, ...(await this.allSmiCards(client, cluster, scope))]
        : cards;
    });
    const items = results.flatMap((r) => r.value).filter((n) => matchesDevice(filter, n));
    return { items, failures };
  }

  /** all-smi's NPU/TPU device rows on a cluster whose GPUs all-smi exports; filters apply in memory like the rest. */
  private async allSmiCards(
    client: PrometheusClient,
    cluster: ClusterConfig,
    scope: readonly Matcher[],
  ): Promise<NpuSample[]> {
    const [identity, values] = await Promise.all([
      client.instant(allSmiIdentityQuery({}, scope, ALL_SMI_NPU_TYPES)),
      client.instant(allSmiValuesQuery(scope)),
    ]);
    return allSmiNpuSamples(joinAllSmi(cluster.name, identity, values));
  }
}

/** Pods whose `pod` label names an exporter, not a tenant. */
export const npuExporterPods = (config: AppConfig): RegExp =>
  new RegExp(`${config.prometheus.exporterPodPattern}|${NPU_EXPORTER_PODS}`);

/** The cluster's configured tenant-label shape; in `auto`, exported as soon as one card row carries exported_* labels. */
export function npuTenantMode(
  config: AppConfig,
  cluster: ClusterConfig,
  identity: readonly { readonly labels: Readonly<Record<string, string>> }[],
): 'exported' | 'plain' {
  const configured = cluster.tenantLabels ?? config.prometheus.tenantLabels;
  return configured !== 'auto' ? configured : (detectFromLabels(identity.map((s) => s.labels)) ?? 'plain');
}
