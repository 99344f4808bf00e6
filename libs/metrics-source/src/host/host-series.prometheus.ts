import type { PartialResult } from '@kcloud/common';
import { aggregate, type ClusterRegistry, type RangeSeries } from '@kcloud/prometheus';
import type { SeriesRange } from '../gpu-series/gpu-series.port';
import type { HostFilter } from './host.port';
import { memoryUtilizationPercentOf } from './host.port';
import { type HostSeriesPoint, type HostSeriesSource } from './host-series.port';
import { hostCpuBusyQuery, hostMemoryQuery, MEMORY_AVAILABLE, MEMORY_TOTAL } from './host.queries';
import { hostNodeOf } from './host.prometheus';

/**
 * node_exporter history: the instant read's two queries as range queries (memory gauges; the cores' busy share
 * averaged per instance in Prometheus, so one series per node whatever the core count), two requests per cluster.
 */
export class PrometheusHostSeries implements HostSeriesSource {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly rateWindowSeconds: number,
  ) {}

  async nodeHostSeries(filter: HostFilter, range: SeriesRange): Promise<PartialResult<HostSeriesPoint>> {
    const opts = { start: range.from, end: range.to, stepSeconds: range.stepSeconds };
    const { results, failures } = await this.registry.fanOut(filter.clusters, async (client, cluster) => {
      const matchers = this.registry.scopeMatchers(cluster.name);
      const [memory, cpu] = await Promise.all([
        client.range(hostMemoryQuery(matchers), opts),
        client.range(
          aggregate('avg', ['instance'], hostCpuBusyQuery(matchers, this.rateWindowSeconds)),
          opts,
        ),
      ]);
      return joinHostSeries(cluster.name, memory, cpu).filter(
        (h) => !filter.nodes || filter.nodes.includes(h.node),
      );
    });
    return { items: results.flatMap((r) => r.value), failures };
  }
}

/** Memory gauges and mean busy ratio per (node, step) (pure); ratios clamped to 0–100 % like the instant read. */
export function joinHostSeries(
  cluster: string,
  memory: readonly RangeSeries[],
  cpu: readonly RangeSeries[],
): HostSeriesPoint[] {
  const steps = new Map<
    string,
    { node: string; timestampMs: number; total?: number; available?: number; cpu?: number }
  >();
  const at = (node: string, timestampMs: number) => {
    const key = `${node}\u0000${timestampMs}`;
    let s = steps.get(key);
    if (!s) steps.set(key, (s = { node, timestampMs }));
    return s;
  };
  for (const { labels, points } of memory) {
    const node = hostNodeOf(labels);
    const field =
      labels.__name__ === MEMORY_TOTAL
        ? 'total'
        : labels.__name__ === MEMORY_AVAILABLE
          ? 'available'
          : undefined;
    if (!node || !field) continue;
    for (const p of points) if (Number.isFinite(p.value)) at(node, p.timestampMs)[field] = p.value;
  }
  for (const { labels, points } of cpu) {
    const node = hostNodeOf(labels);
    if (!node) continue;
    for (const p of points)
      if (Number.isFinite(p.value)) at(node, p.timestampMs).cpu = Math.min(100, Math.max(0, p.value * 100));
  }
  return [...steps.values()].map((s) => ({
    cluster,
    node: s.node,
    timestampMs: s.timestampMs,
    memoryUtilizationPercent: memoryUtilizationPercentOf({
      memoryTotalBytes: s.total,
      memoryAvailableBytes: s.available,
    }),
    cpuUtilizationPercent: s.cpu,
  }));
}
