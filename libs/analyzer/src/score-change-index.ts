import { inScope, type TenantScope } from '@kcloud/common';
import { passesMinDelta, type ScoreChange } from './scoring/changes';
import { attribute, type ScoreRow } from './scoring/records';
import type { ScoreStatus } from './scoring/scoring';

export interface ScoreChangeFilter {
  readonly cluster?: string;
  /** The clusters the filter's `clusterLabels` selected (resolved at subscribe time); absent: no labels asked for. */
  readonly labelledClusters?: readonly string[];
  readonly namespace?: string;
  readonly status?: ScoreStatus;
  /** GPU UUIDs, or UUID/instance for one MIG instance. */
  readonly uuids?: readonly string[];
}

/** One attributed row of one change: what a subscriber may receive. */
export interface ChangeRow {
  readonly change: ScoreChange;
  readonly row: ScoreRow;
}

type Positions = readonly number[];

/**
 * The rows of one cycle's changes, indexed by cluster, namespace, status and GPU id, built once per event. A
 * subscriber's filter and scope then cost the size of the smallest matching bucket, not the size of the event, and
 * the rows come out in the event's order (changes in order, a shared GPU's pods in order), as a linear scan gives.
 */
export class ScoreChangeIndex {
  private readonly rows: ChangeRow[] = [];
  private readonly byCluster = new Map<string, number[]>();
  private readonly byNamespace = new Map<string, number[]>();
  private readonly byStatus = new Map<string, number[]>();
  private readonly byId = new Map<string, number[]>();

  constructor(changes: readonly ScoreChange[]) {
    for (const change of changes)
      for (const row of attribute(change.record)) {
        const at = this.rows.push({ change, row }) - 1;
        add(this.byCluster, row.cluster, at);
        if (row.namespace !== undefined) add(this.byNamespace, row.namespace, at);
        add(this.byStatus, row.status, at);
        add(this.byId, row.uuid, at);
        if (row.key !== row.uuid) add(this.byId, row.key, at);
      }
  }

  get size(): number {
    return this.rows.length;
  }

  /** The rows `filter` and `scope` let through whose change moved by at least `minDelta`, in event order. */
  select(filter: ScoreChangeFilter, minDelta: number, scope: TenantScope): ChangeRow[] {
    const candidates = this.candidates(filter, scope);
    const out: ChangeRow[] = [];
    for (const at of candidates ?? this.rows.keys()) {
      const entry = this.rows[at]!;
      const { row } = entry;
      if (
        passesMinDelta(entry.change, minDelta) &&
        inScope(scope, row.cluster, row.namespace) &&
        rowMatches(row, filter)
      )
        out.push(entry);
    }
    return out;
  }

  /** The smallest bucket that bounds the answer; undefined when nothing narrows it (every row is a candidate). */
  private candidates(filter: ScoreChangeFilter, scope: TenantScope): Positions | undefined {
    const bounds: Positions[] = [];
    if (filter.cluster !== undefined) bounds.push(this.byCluster.get(filter.cluster) ?? []);
    if (filter.labelledClusters !== undefined) bounds.push(union(this.byCluster, filter.labelledClusters));
    if (filter.namespace !== undefined) bounds.push(this.byNamespace.get(filter.namespace) ?? []);
    if (filter.status !== undefined) bounds.push(this.byStatus.get(filter.status) ?? []);
    if (filter.uuids !== undefined) bounds.push(union(this.byId, filter.uuids));
    if (scope.clusters?.length) bounds.push(union(this.byCluster, scope.clusters));
    if (scope.namespaces?.length) bounds.push(union(this.byNamespace, scope.namespaces));
    if (!bounds.length) return undefined;
    return bounds.reduce((a, b) => (b.length < a.length ? b : a));
  }
}

export function rowMatches(row: ScoreRow, f: ScoreChangeFilter): boolean {
  return (
    (f.cluster === undefined || row.cluster === f.cluster) &&
    (f.labelledClusters === undefined || f.labelledClusters.includes(row.cluster)) &&
    (f.namespace === undefined || row.namespace === f.namespace) &&
    (f.status === undefined || row.status === f.status) &&
    (f.uuids === undefined || f.uuids.includes(row.uuid) || f.uuids.includes(row.key))
  );
}

function add(index: Map<string, number[]>, value: string, at: number): void {
  const list = index.get(value);
  if (list) list.push(at);
  else index.set(value, [at]);
}

/** Positions under any of `values`, ascending and without repeats (a MIG row is indexed by its UUID and its key). */
function union(index: ReadonlyMap<string, readonly number[]>, values: readonly string[]): Positions {
  if (values.length === 1) return index.get(values[0]!) ?? [];
  const all = new Set<number>();
  for (const v of new Set(values)) for (const at of index.get(v) ?? []) all.add(at);
  return [...all].sort((a, b) => a - b);
}
