import type { PartialResult } from '@kcloud/common';
import { type ClusterRegistry, type InstantSample, oneOf } from '@kcloud/prometheus';
import type { GpuRequestSource, PodGpuRequest } from './gpu-requests.port';
import { podGpuRequestsQuery } from './gpu-requests.queries';

/** GPU requests of running pods from each cluster's Prometheus (kube-state-metrics), one request per cluster. */
export class PrometheusGpuRequests implements GpuRequestSource {
  constructor(private readonly registry: ClusterRegistry) {}

  async podGpuRequests(
    clusters: readonly string[] | undefined,
    namespaces?: readonly string[],
  ): Promise<PartialResult<PodGpuRequest>> {
    const tenant = namespaces ? [oneOf('namespace', namespaces)] : [];
    const { results, failures } = await this.registry.fanOut(clusters, async (client, cluster) =>
      podGpuRequests(
        cluster.name,
        await client.instant(podGpuRequestsQuery([...this.registry.scopeMatchers(cluster.name), ...tenant])),
      ),
    );
    return { items: results.flatMap((r) => r.value), failures };
  }
}

/** One request per pod and resource; zero, negative or non-finite counts are not requests. */
export function podGpuRequests(cluster: string, samples: readonly InstantSample[]): PodGpuRequest[] {
  return samples.flatMap((s) => {
    const { namespace, pod, node, resource } = s.labels;
    if (!namespace || !pod || !resource || !Number.isFinite(s.value) || s.value <= 0) return [];
    return [{ cluster, namespace, pod, node: node || undefined, resource, count: s.value }];
  });
}
