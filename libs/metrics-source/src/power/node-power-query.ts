import type { KeplerVersion } from '@kcloud/common';
import { aggregate, labelReplace, type Matcher, type PromQL, re, selector } from '@kcloud/prometheus';
import { type CpuZoneFamily, KEPLER_GENERATIONS, type NodeFamily } from './kepler-generations';
import { counter, gauge, type PowerReading, tag, union } from './power-promql';

/** Names of the node power parts; `*_j` parts are joule counters (absolute), `usage` a ratio. */
export const NODE_PARTS = {
  cpu: 'cpu',
  gpu: 'gpu',
  other: 'other',
  platform: 'platform',
  /** ≤0.7's platform is a joule counter, read like the other counters. */
  platformCounter: 'platform_c',
  dcgmGpu: 'dcgm_gpu',
  npuFuriosa: 'npu_furiosa',
  npuRebellions: 'npu_rbln',
  dcmi: 'dcmi',
  usage: 'usage',
  cpuJoules: 'cpu_j',
  gpuJoules: 'gpu_j',
} as const;

/** Gauge parts: in an energy reading they hold the window's average watts. */
export const GAUGE_PARTS: ReadonlySet<string> = new Set([
  NODE_PARTS.platform,
  NODE_PARTS.dcgmGpu,
  NODE_PARTS.npuFuriosa,
  NODE_PARTS.npuRebellions,
  NODE_PARTS.dcmi,
]);

/** Every label an exporter may name the node with; absent ones are simply not there after `by (…)`. */
export const NODE_LABELS = ['node_name', 'Hostname', 'hostname', 'exported_instance', 'instance'] as const;

/**
 * Node power of one cluster: Kepler components (by the cluster's generation), dcgm-exporter board power (each UUID
 * once: MIG rows repeat it), NPU board power (each device once: partitioned furiosa devices repeat per pod), DCMI
 * server power per BMC. With `withCounters`, also Kepler's absolute joule counters and the CPU usage ratio (current
 * snapshots only).
 */
export function nodePowerQuery(
  version: KeplerVersion,
  scope: readonly Matcher[],
  reading: PowerReading,
  withCounters: boolean,
): PromQL {
  const s = [...scope];
  const g = KEPLER_GENERATIONS[version].node;
  const read = (f: NodeFamily): PromQL =>
    f.kind === 'counter'
      ? counter(reading, f.metric, s)
      : f.kind === 'gauge'
        ? gauge(reading, f.metric, s)
        : selector(f.metric, s);
  const part = (f: NodeFamily): PromQL =>
    tag(aggregate(f.aggregation, g.nodeLabels, read(f)), NODE_PARTS[f.part]);
  const cpu = (f: CpuZoneFamily, asCounter: boolean, name: string): PromQL => {
    const of = (m: readonly Matcher[]) => (asCounter ? counter(reading, f.metric, m) : selector(f.metric, m));
    // ≤0.7 has one family per zone: `zone` is synthesised so the join reads both generations alike.
    const summed =
      'zones' in f
        ? aggregate('sum', [...g.nodeLabels, 'zone'], of([...s, re('zone', f.zones)]))
        : labelReplace(aggregate('sum', g.nodeLabels, of(s)), 'zone', f.zone, '__name__', '.*');
    return tag(summed, name);
  };
  const parts: PromQL[] = [...g.cpu.map((f) => cpu(f, true, NODE_PARTS.cpu)), ...g.parts.map(part)];
  if (withCounters)
    parts.push(...g.cpuCounters.map((f) => cpu(f, false, NODE_PARTS.cpuJoules)), ...g.counters.map(part));
  parts.push(...boardPowerParts(s, reading));
  return union(parts);
}

/** Accelerator board power and the BMC's server input power: the same families whatever Kepler's generation. */
function boardPowerParts(s: readonly Matcher[], reading: PowerReading): PromQL[] {
  return [
    tag(
      aggregate(
        'sum',
        ['Hostname', 'hostname', 'instance'],
        aggregate(
          'max',
          ['UUID', 'Hostname', 'hostname', 'instance'],
          gauge(reading, 'DCGM_FI_DEV_POWER_USAGE', s),
        ),
      ),
      NODE_PARTS.dcgmGpu,
    ),
    tag(
      aggregate(
        'sum',
        ['hostname'],
        aggregate('max', ['uuid', 'hostname'], gauge(reading, 'furiosa_npu_hw_power', s)),
      ),
      NODE_PARTS.npuFuriosa,
    ),
    // Rebellions renamed its metrics in v0.2.4 and kept the old names as aliases: read both, count each card once.
    tag(
      aggregate(
        'sum',
        ['hostname'],
        aggregate(
          'max',
          ['uuid', 'hostname'],
          gauge(reading, ['RBLN_DEVICE_STATUS:CARD_POWER', 'rbln_npu_power'], s),
        ),
      ),
      NODE_PARTS.npuRebellions,
    ),
    tag(
      aggregate('max', ['instance'], gauge(reading, 'ipmi_dcmi_power_consumption_watts', s)),
      NODE_PARTS.dcmi,
    ),
  ];
}
