import type { PartialResult } from '@kcloud/common';
import type { ClusterRegistry, InstantSample } from '@kcloud/prometheus';
import type {
  ContainerUsageFilter,
  ContainerUsageSample,
  ContainerUsageSource,
} from './container-usage.port';
import { containerUsageQuery, USAGE_METRIC } from './container-usage.queries';

/** cAdvisor through each cluster's Prometheus: one request per cluster. */
export class PrometheusContainerUsage implements ContainerUsageSource {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly rateWindowSeconds: number,
  ) {}

  async containerUsage(filter: ContainerUsageFilter): Promise<PartialResult<ContainerUsageSample>> {
    const { results, failures } = await this.registry.fanOut(filter.clusters, async (client, cluster) => {
      const query = containerUsageQuery(
        this.registry.scopeMatchers(cluster.name),
        filter.namespaces,
        this.rateWindowSeconds,
      );
      return joinContainerUsage(cluster.name, await client.instant(query));
    });
    return { items: results.flatMap((r) => r.value), failures };
  }
}

/** The tagged CPU rates and working sets joined per container (pure); negative or non-finite values are no reading. */
export function joinContainerUsage(
  cluster: string,
  samples: readonly InstantSample[],
): ContainerUsageSample[] {
  const byKey = new Map<string, { -readonly [K in keyof ContainerUsageSample]: ContainerUsageSample[K] }>();
  for (const s of samples) {
    const { namespace, pod, container } = s.labels;
    if (!namespace || !pod || !container || !Number.isFinite(s.value) || s.value < 0) continue;
    const key = `${namespace}\u0000${pod}\u0000${container}`;
    let c = byKey.get(key);
    if (!c) byKey.set(key, (c = { cluster, namespace, pod, container }));
    if (s.labels[USAGE_METRIC] === 'cpu') c.cpuCores = s.value;
    if (s.labels[USAGE_METRIC] === 'memory') c.memoryWorkingSetBytes = s.value;
  }
  return [...byKey.values()].sort(
    (a, b) =>
      a.namespace.localeCompare(b.namespace) ||
      a.pod.localeCompare(b.pod) ||
      a.container.localeCompare(b.container),
  );
}
