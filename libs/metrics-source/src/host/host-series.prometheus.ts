import type { PartialResult } from '@kcloud/common';
import type { ClusterRegistry, InstantSample, RangeSeries } from '@kcloud/prometheus';
import type { SeriesRange } from '../gpu-series/gpu-series.port';
import type { HostFilter } from './host.port';
import { type HostSeriesPoint, hostSeriesPointOf, type HostSeriesSource } from './host-series.port';
import { hostGaugesQuery, hostSeriesRatesQuery, NET_DIRECTION } from './host.queries';
import { hostNodeOf, joinHosts } from './host.prometheus';

/**
 * node_exporter history: the instant read's gauges request as a range query (meminfo, loadavg, root filesystem) and
 * the rates as one more (the cores' busy share averaged per instance, so one series per node whatever the core count,
 * `or` the network rates): two requests per cluster.
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
      const [gauges, rates] = await Promise.all([
        client.range(hostGaugesQuery(matchers), opts),
        client.range(hostSeriesRatesQuery(matchers, this.rateWindowSeconds), opts),
      ]);
      return joinHostSeries(cluster.name, gauges, rates).filter(
        (h) => !filter.nodes || filter.nodes.includes(h.node),
      );
    });
    return { items: results.flatMap((r) => r.value), failures };
  }
}

/**
 * Range series joined per (node, step) (pure): each step's gauges and network rates go through the instant read's
 * join (joinHosts: same fields, same refusals), the mean busy ratio beside them, clamped to 0–100 % likewise.
 */
export function joinHostSeries(
  cluster: string,
  gauges: readonly RangeSeries[],
  rates: readonly RangeSeries[],
): HostSeriesPoint[] {
  const steps = new Map<
    number,
    { gauges: InstantSample[]; rates: InstantSample[]; cpu: Map<string, number> }
  >();
  const step = (timestampMs: number) => {
    let s = steps.get(timestampMs);
    if (!s) steps.set(timestampMs, (s = { gauges: [], rates: [], cpu: new Map() }));
    return s;
  };
  for (const { labels, points } of gauges)
    for (const p of points) step(p.timestampMs).gauges.push({ labels, ...p });
  for (const { labels, points } of rates) {
    const node = hostNodeOf(labels);
    for (const p of points) {
      if (labels[NET_DIRECTION] !== undefined) step(p.timestampMs).rates.push({ labels, ...p });
      else if (node && Number.isFinite(p.value))
        step(p.timestampMs).cpu.set(node, Math.min(100, Math.max(0, p.value * 100)));
    }
  }
  const out: HostSeriesPoint[] = [];
  for (const [timestampMs, s] of [...steps].sort(([a], [b]) => a - b)) {
    const hosts = new Map(joinHosts(cluster, s.gauges, s.rates).map((h) => [h.node, h]));
    for (const node of new Set([...hosts.keys(), ...s.cpu.keys()])) {
      const { cpuCores: _cores, ...host } = hosts.get(node) ?? { cluster, node, cpuCores: [] };
      out.push(hostSeriesPointOf(host, timestampMs, s.cpu.get(node)));
    }
  }
  return out;
}
