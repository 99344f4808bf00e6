import type { PartialResult } from '@kcloud/common';
import type { ClusterRegistry, InstantSample } from '@kcloud/prometheus';
import { type HostCpuCoreSample, type HostFilter, type HostSample, type HostSource } from './host.port';
import {
  FS_AVAIL,
  FS_SIZE,
  hostGaugesQuery,
  hostRatesQuery,
  LOAD1,
  LOAD15,
  LOAD5,
  MEMORY_AVAILABLE,
  MEMORY_TOTAL,
  NET_DIRECTION,
} from './host.queries';

/**
 * node_exporter through each cluster's Prometheus: two requests per cluster (the gauges: meminfo, loadavg, root
 * filesystem; the rates: per-core busy share, network), whatever the node count.
 */
export class PrometheusHosts implements HostSource {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly rateWindowSeconds: number,
  ) {}

  async nodeHosts(filter: HostFilter): Promise<PartialResult<HostSample>> {
    const { results, failures } = await this.registry.fanOut(filter.clusters, async (client, cluster) => {
      const matchers = this.registry.scopeMatchers(cluster.name);
      const [gauges, rates] = await Promise.all([
        client.instant(hostGaugesQuery(matchers)),
        client.instant(hostRatesQuery(matchers, this.rateWindowSeconds)),
      ]);
      return joinHosts(cluster.name, gauges, rates).filter(
        (h) => !filter.nodes || filter.nodes.includes(h.node),
      );
    });
    return { items: results.flatMap((r) => r.value), failures };
  }
}

/** node_exporter names no node: the scrape's `instance` without its port is the host (kube-prometheus sets it to the node). */
export const hostNodeOf = (labels: Readonly<Record<string, string>>): string =>
  (labels.instance ?? '').replace(/:\d+$/, '');

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type HostFields = Mutable<Omit<HostSample, 'cluster' | 'node' | 'cpuCores'>> & {
  cpuCores: HostCpuCoreSample[];
};

/** Which HostSample field each gauge of the gauges request fills. */
const GAUGE_FIELD: Readonly<Record<string, keyof Omit<HostFields, 'cpuCores'>>> = {
  [MEMORY_TOTAL]: 'memoryTotalBytes',
  [MEMORY_AVAILABLE]: 'memoryAvailableBytes',
  [LOAD1]: 'load1',
  [LOAD5]: 'load5',
  [LOAD15]: 'load15',
  [FS_SIZE]: 'rootFilesystemSizeBytes',
  [FS_AVAIL]: 'rootFilesystemAvailableBytes',
};

/**
 * The gauges and the rates joined per node (pure). A core whose ratio is not finite (a counter reset inside the
 * window) is left out; ratios are clamped to 0–100 % (rate() extrapolation can step just outside). Network rates
 * come tagged with their direction; a negative or non-finite rate is no reading.
 */
export function joinHosts(
  cluster: string,
  gauges: readonly InstantSample[],
  rates: readonly InstantSample[],
): HostSample[] {
  const hosts = new Map<string, HostFields>();
  const host = (node: string): HostFields => {
    let h = hosts.get(node);
    if (!h) hosts.set(node, (h = { cpuCores: [] }));
    return h;
  };
  for (const s of gauges) {
    const node = hostNodeOf(s.labels);
    const field = GAUGE_FIELD[s.labels.__name__ ?? ''];
    if (!node || !field || !Number.isFinite(s.value)) continue;
    host(node)[field] = s.value;
  }
  for (const s of rates) {
    const node = hostNodeOf(s.labels);
    if (!node || !Number.isFinite(s.value)) continue;
    const direction = s.labels[NET_DIRECTION];
    if (direction !== undefined) {
      if (s.value < 0) continue;
      if (direction === 'receive') host(node).networkReceiveBytesPerSecond = s.value;
      if (direction === 'transmit') host(node).networkTransmitBytesPerSecond = s.value;
      continue;
    }
    const core = Number(s.labels.cpu);
    if (!Number.isInteger(core)) continue;
    host(node).cpuCores.push({ cpu: core, utilizationPercent: Math.min(100, Math.max(0, s.value * 100)) });
  }
  return [...hosts]
    .map(
      ([node, h]): HostSample => ({
        cluster,
        node,
        ...h,
        cpuCores: h.cpuCores.sort((a, b) => a.cpu - b.cpu),
      }),
    )
    .sort((a, b) => a.node.localeCompare(b.node));
}
