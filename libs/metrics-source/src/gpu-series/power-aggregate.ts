import type { GpuPowerPoint } from './gpu-series.port';

/** One DCGM_FI_DEV_POWER_USAGE row: a whole GPU, or one MIG instance repeating its board's power. */
export interface PowerRow {
  readonly timestampMs: number;
  readonly cluster: string;
  readonly node: string;
  readonly uuid: string;
  readonly namespace?: string;
  readonly powerWatts: number;
}

/**
 * Sums board power per (timestamp, cluster, node, namespace). DCGM repeats a MIG board's power on every instance
 * row, so each row carries power / (rows of its UUID at that instant): a board is counted once in total, split
 * equally among its instances' tenants. `keep` selects rows after that division. Non-finite readings are dropped.
 * `divided`: the rows already carry their share (Prometheus divided them, see gpuPowerQuery), only sum them.
 */
export function aggregatePower<R extends PowerRow>(
  rows: readonly R[],
  keep: (row: R) => boolean = () => true,
  divided = false,
): GpuPowerPoint[] {
  const rowsPerGpu = new Map<string, number>();
  const finite = rows.filter((r) => Number.isFinite(r.powerWatts));
  if (!divided)
    for (const r of finite) {
      const key = `${r.timestampMs}|${r.cluster}|${r.uuid}`;
      rowsPerGpu.set(key, (rowsPerGpu.get(key) ?? 0) + 1);
    }
  const groups = new Map<
    string,
    {
      timestampMs: number;
      cluster: string;
      node: string;
      namespace?: string;
      watts: number;
      gpus: Set<string>;
    }
  >();
  // Rows are counted per board before the filter: a board's share does not depend on what the caller selects.
  for (const r of finite.filter(keep)) {
    const key = `${r.timestampMs}|${r.cluster}|${r.node}|${r.namespace ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        timestampMs: r.timestampMs,
        cluster: r.cluster,
        node: r.node,
        namespace: r.namespace,
        watts: 0,
        gpus: new Set(),
      };
      groups.set(key, group);
    }
    group.watts += divided
      ? r.powerWatts
      : r.powerWatts / rowsPerGpu.get(`${r.timestampMs}|${r.cluster}|${r.uuid}`)!;
    group.gpus.add(r.uuid);
  }
  return [...groups.values()]
    .sort(
      (a, b) =>
        a.timestampMs - b.timestampMs ||
        a.cluster.localeCompare(b.cluster) ||
        a.node.localeCompare(b.node) ||
        (a.namespace ?? '').localeCompare(b.namespace ?? ''),
    )
    .map((g) => ({
      timestamp: new Date(g.timestampMs),
      cluster: g.cluster,
      node: g.node,
      ...(g.namespace === undefined ? {} : { namespace: g.namespace }),
      gpuCount: g.gpus.size,
      // DCGM reports milliwatts; the division and the sum add nothing finer.
      powerWatts: Math.round(g.watts * 1000) / 1000,
    }));
}
