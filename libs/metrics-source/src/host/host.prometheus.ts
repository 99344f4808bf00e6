import type { PartialResult } from '@kcloud/common';
import type { ClusterRegistry, InstantSample } from '@kcloud/prometheus';
import { type HostFilter, type HostSample, type HostSource } from './host.port';
import { hostCpuBusyQuery, hostMemoryQuery, MEMORY_AVAILABLE, MEMORY_TOTAL } from './host.queries';

/** node_exporter through each cluster's Prometheus: two requests per cluster (meminfo, cpu), whatever the node count. */
export class PrometheusHosts implements HostSource {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly rateWindowSeconds: number,
  ) {}

  async nodeHosts(filter: HostFilter): Promise<PartialResult<HostSample>> {
    const { results, failures } = await this.registry.fanOut(filter.clusters, async (client, cluster) => {
      const matchers = this.registry.scopeMatchers(cluster.name);
      const [memory, cpu] = await Promise.all([
        client.instant(hostMemoryQuery(matchers)),
        client.instant(hostCpuBusyQuery(matchers, this.rateWindowSeconds)),
      ]);
      return joinHosts(cluster.name, memory, cpu).filter(
        (h) => !filter.nodes || filter.nodes.includes(h.node),
      );
    });
    return { items: results.flatMap((r) => r.value), failures };
  }
}

/** node_exporter names no node: the scrape's `instance` without its port is the host (kube-prometheus sets it to the node). */
export const hostNodeOf = (labels: Readonly<Record<string, string>>): string =>
  (labels.instance ?? '').replace(/:\d+$/, '');

/**
 * Memory gauges and per-core busy ratios joined per node (pure). A core whose ratio is not finite (a counter reset
 * inside the window) is left out; ratios are clamped to 0–100 % (rate() extrapolation can step just outside).
 */
export function joinHosts(
  cluster: string,
  memory: readonly InstantSample[],
  cpu: readonly InstantSample[],
): HostSample[] {
  const hosts = new Map<
    string,
    {
      memoryTotalBytes?: number;
      memoryAvailableBytes?: number;
      cpuCores: { cpu: number; utilizationPercent: number }[];
    }
  >();
  const host = (node: string) => {
    let h = hosts.get(node);
    if (!h) hosts.set(node, (h = { cpuCores: [] }));
    return h;
  };
  for (const s of memory) {
    const node = hostNodeOf(s.labels);
    if (!node || !Number.isFinite(s.value)) continue;
    if (s.labels.__name__ === MEMORY_TOTAL) host(node).memoryTotalBytes = s.value;
    if (s.labels.__name__ === MEMORY_AVAILABLE) host(node).memoryAvailableBytes = s.value;
  }
  for (const s of cpu) {
    const node = hostNodeOf(s.labels);
    const core = Number(s.labels.cpu);
    if (!node || !Number.isInteger(core) || !Number.isFinite(s.value)) continue;
    host(node).cpuCores.push({ cpu: core, utilizationPercent: Math.min(100, Math.max(0, s.value * 100)) });
  }
  return [...hosts]
    .map(([node, h]) => ({ cluster, node, ...h, cpuCores: h.cpuCores.sort((a, b) => a.cpu - b.cpu) }))
    .sort((a, b) => a.node.localeCompare(b.node));
}
