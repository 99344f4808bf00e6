// The page's data model: score rows and NPUs as the API returns them, and the pure functions that turn them into the
// grid's rows, the headline and the namespace table. No DOM here (unit-tested under Node).

// UNALLOCATED: listed, never scored, with ANALYZER_ALLOCATED_ONLY (no pod holds the GPU).
export const STATUSES = ['IDLE', 'LOW', 'NORMAL', 'HIGH', 'UNKNOWN', 'UNALLOCATED'] as const;
export type Status = (typeof STATUSES)[number];

/** What the analyzer says of one GPU beyond its status: read for the side panel, carried by live events. */
export interface ScoreDetail {
  readonly reason: string | null;
  readonly memoryUsedMiB: number | null;
  readonly statusSince: string;
  readonly stale: boolean;
  readonly inputs: {
    readonly utilizationPercent: number | null;
    readonly memoryCopyUtilizationPercent: number | null;
    readonly memoryUsedPercent: number | null;
    readonly powerPercent: number | null;
  };
}

/** A gpuScores row as the grid reads it (10,000 of them: only what tiles, filters and summaries need). */
export interface ScoreRow extends Partial<ScoreDetail> {
  readonly id: string;
  readonly gpuId: string;
  readonly uuid: string;
  readonly cluster: string;
  readonly node: string;
  readonly namespace: string | null;
  readonly pod: string | null;
  readonly migInstanceId: string | null;
  readonly migProfile: string | null;
  readonly model: string;
  readonly status: Status;
  readonly score: number | null;
  readonly powerWatts: number | null;
}

export interface NpuRow {
  readonly uuid: string;
  readonly cluster: string;
  readonly node: string;
  readonly model: string;
  readonly vendor: string;
  readonly namespace: string | null;
  readonly pod: string | null;
  readonly utilizationPercent: number | null;
  readonly powerWatts: number | null;
  readonly healthy: boolean | null;
}

export type Tile =
  | { readonly kind: 'gpu'; readonly row: ScoreRow }
  | { readonly kind: 'npu'; readonly npu: NpuRow };

/** A physical board: one tile, or its MIG instances / time-sliced shares inside it. */
export interface Board {
  readonly uuid: string;
  readonly model: string;
  readonly tiles: readonly Tile[];
}

export type GridRow =
  | { readonly kind: 'cluster'; readonly cluster: string; readonly gpus: number }
  | {
      readonly kind: 'node';
      readonly cluster: string;
      readonly node: string;
      readonly boards: readonly Board[];
    };

export interface Filter {
  readonly cluster: string;
  readonly namespace: string;
  readonly status: string;
  readonly model: string;
}

export const NO_FILTER: Filter = { cluster: '', namespace: '', status: '', model: '' };
/** The namespace filter's value for devices no pod holds. */
export const UNALLOCATED = '(unallocated)';

const namespaceOf = (ns: string | null): string => ns ?? UNALLOCATED;

export function tileMatches(tile: Tile, f: Filter): boolean {
  const d = tile.kind === 'gpu' ? tile.row : tile.npu;
  if (f.cluster && d.cluster !== f.cluster) return false;
  if (f.namespace && namespaceOf(d.namespace) !== f.namespace) return false;
  if (f.model && d.model !== f.model) return false;
  if (f.status) return tile.kind === 'gpu' ? tile.row.status === f.status : f.status === 'NPU';
  return true;
}

/**
 * Cluster header rows and node rows, in the order the devices came (the API's DEVICE order: cluster, node, index).
 * One pass with maps, so 10,000 devices group in a few milliseconds.
 */
export function layoutRows(
  rows: Iterable<ScoreRow>,
  npus: Iterable<NpuRow>,
  f: Filter,
): { rows: GridRow[]; gpus: number; npus: number } {
  const clusters = new Map<string, Map<string, Map<string, { model: string; tiles: Tile[] }>>>();
  let gpus = 0;
  let npuCount = 0;
  const add = (tile: Tile, cluster: string, node: string, board: string, model: string): void => {
    let nodes = clusters.get(cluster);
    if (!nodes) clusters.set(cluster, (nodes = new Map()));
    let boards = nodes.get(node);
    if (!boards) nodes.set(node, (boards = new Map()));
    let b = boards.get(board);
    if (!b) boards.set(board, (b = { model, tiles: [] }));
    b.tiles.push(tile);
  };
  for (const row of rows) {
    const tile: Tile = { kind: 'gpu', row };
    if (!tileMatches(tile, f)) continue;
    gpus++;
    add(tile, row.cluster, row.node, row.uuid, row.model);
  }
  for (const npu of npus) {
    const tile: Tile = { kind: 'npu', npu };
    if (!tileMatches(tile, f)) continue;
    npuCount++;
    add(tile, npu.cluster, npu.node, npu.uuid, npu.model);
  }
  const out: GridRow[] = [];
  for (const [cluster, nodes] of clusters) {
    let count = 0;
    const nodeRows: GridRow[] = [];
    for (const [node, boards] of nodes) {
      const list: Board[] = [];
      for (const [uuid, b] of boards) {
        list.push({ uuid, model: b.model, tiles: b.tiles });
        count += b.tiles.filter((t) => t.kind === 'gpu').length;
      }
      nodeRows.push({ kind: 'node', cluster, node, boards: list });
    }
    out.push({ kind: 'cluster', cluster, gpus: count }, ...nodeRows);
  }
  return { rows: out, gpus, npus: npuCount };
}

export function statusCounts(rows: Iterable<ScoreRow>): Record<Status, number> {
  const counts: Record<Status, number> = { IDLE: 0, LOW: 0, NORMAL: 0, HIGH: 0, UNKNOWN: 0, UNALLOCATED: 0 };
  for (const r of rows) counts[r.status]++;
  return counts;
}

export interface NamespaceWaste {
  readonly namespace: string;
  readonly gpus: number;
  readonly idle: number;
  readonly low: number;
  readonly idlePowerWatts: number;
  readonly averageScore: number | null;
}

/** Waste first: most idle GPUs, then most low ones, then the most power drawn by idle GPUs. */
export function namespaceWaste(rows: Iterable<ScoreRow>): NamespaceWaste[] {
  const acc = new Map<
    string,
    { gpus: number; idle: number; low: number; idlePowerWatts: number; sum: number; scored: number }
  >();
  for (const r of rows) {
    const key = namespaceOf(r.namespace);
    let a = acc.get(key);
    if (!a) acc.set(key, (a = { gpus: 0, idle: 0, low: 0, idlePowerWatts: 0, sum: 0, scored: 0 }));
    a.gpus++;
    if (r.status === 'IDLE') {
      a.idle++;
      a.idlePowerWatts += r.powerWatts ?? 0;
    }
    if (r.status === 'LOW') a.low++;
    if (r.score !== null) {
      a.sum += r.score;
      a.scored++;
    }
  }
  return [...acc]
    .map(([namespace, a]) => ({
      namespace,
      gpus: a.gpus,
      idle: a.idle,
      low: a.low,
      idlePowerWatts: a.idlePowerWatts,
      averageScore: a.scored ? a.sum / a.scored : null,
    }))
    .sort(
      (x, y) =>
        y.idle - x.idle ||
        y.low - x.low ||
        y.idlePowerWatts - x.idlePowerWatts ||
        x.namespace.localeCompare(y.namespace),
    );
}

/** Distinct sorted values of one field, for the filter menus. */
export function distinctValues(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}
