import { collationRanks, inScope, narrow, numericCompare, ReadModel, type TenantScope } from '@kcloud/common';
import { type LabelMatch, selectClusters } from '@kcloud/metrics-source';
import { activityStateOf } from './activity/activity-view';
import type { GpuActivityState } from './activity/activity-state';
import { GpuScoreOrderBy } from './dto/gpu-scores.args';
import { attribute, type ScoreRecord, type ScoreRow } from './scoring/records';
import type { ScoreStatus } from './scoring/scoring';
import { computeStats, type ScoreStats } from './scoring/stats';

export interface ScoreQuery {
  readonly cluster?: string;
  /** Cluster labels to match; resolved into `labelledClusters` at the resolver (ClusterLabelResolution). */
  readonly clusterLabels?: readonly LabelMatch[];
  /** The clusters `clusterLabels` selected; absent when the query names no labels (empty: none matched). */
  readonly labelledClusters?: readonly string[];
  readonly namespace?: string;
  readonly node?: string;
  readonly status?: ScoreStatus;
  readonly minScore?: number;
  readonly maxScore?: number;
  readonly activityState?: GpuActivityState;
}

/** A row with its collation keys: ranks of the strings the device order compares (see `collationRanks`). */
interface Keyed {
  readonly row: ScoreRow;
  readonly cluster: number;
  readonly node: number;
  readonly mig: number;
  readonly pod: number;
}

type Dimension = 'cluster' | 'namespace' | 'node' | 'status' | 'uuid' | 'activityState';

/**
 * The device order of `AnalyzerService` as it always was — cluster, node (`localeCompare`), index, MIG instance
 * (numeric `localeCompare`), pod — compared on precomputed ranks, so the order is identical and sorting is cheap.
 */
const byDevice = (a: Keyed, b: Keyed): number =>
  a.cluster - b.cluster || a.node - b.node || a.row.index - b.row.index || a.mig - b.mig || a.pod - b.pod;

// Unknown scores sort last in both directions: "lowest first" must not start with GPUs we could not score.
const byScore =
  (dir: 1 | -1) =>
  (a: Keyed, b: Keyed): number =>
    a.row.score === undefined || b.row.score === undefined
      ? Number(a.row.score === undefined) - Number(b.row.score === undefined) || byDevice(a, b)
      : dir * (a.row.score - b.row.score) || byDevice(a, b);

const bySince =
  (dir: 1 | -1) =>
  (a: Keyed, b: Keyed): number =>
    dir * (a.row.statusSince.getTime() - b.row.statusSince.getTime()) || byDevice(a, b);

const SPEC = {
  orders: {
    [GpuScoreOrderBy.DEVICE]: byDevice,
    [GpuScoreOrderBy.SCORE_ASC]: byScore(1),
    [GpuScoreOrderBy.SCORE_DESC]: byScore(-1),
    [GpuScoreOrderBy.STATUS_SINCE_ASC]: bySince(1),
    [GpuScoreOrderBy.STATUS_SINCE_DESC]: bySince(-1),
  },
  dimensions: {
    cluster: (k: Keyed) => k.row.cluster,
    namespace: (k: Keyed) => k.row.namespace,
    node: (k: Keyed) => k.row.node,
    status: (k: Keyed) => k.row.status,
    uuid: (k: Keyed) => k.row.uuid,
    activityState: (k: Keyed) => activityStateOf(k.row),
  },
} as const;

const scopeKey = (scope: TenantScope): string =>
  JSON.stringify([
    scope.clusters?.length ? scope.clusters : null,
    scope.namespaces?.length ? scope.namespaces : null,
  ]);

/**
 * The analyzer's results as served: built once per installed cycle (the store's version), every request a page of
 * a memoised slice. Rows are attributed (one per pod of a time-sliced GPU) as `rowsInScope` does.
 */
export class ScoreReadModel {
  private readonly model: ReadModel<Keyed, GpuScoreOrderBy, Dimension>;
  private readonly stats = new Map<string, ScoreStats>();
  /** Attributed rows per device key, in attribution order (one per pod holding it). */
  private readonly byKey = new Map<string, ScoreRow[]>();

  constructor(
    readonly version: number,
    records: readonly ScoreRecord[],
  ) {
    const rows = records.flatMap(attribute);
    for (const row of rows) {
      const same = this.byKey.get(row.key);
      if (same) same.push(row);
      else this.byKey.set(row.key, [row]);
    }
    const clusters = collationRanks(rows.map((r) => r.cluster));
    const nodes = collationRanks(rows.map((r) => r.node));
    const migs = collationRanks(
      rows.map((r) => r.migInstanceId ?? ''),
      numericCompare,
    );
    const pods = collationRanks(rows.map((r) => r.pod ?? ''));
    const keyed = rows.map(
      (row): Keyed => ({
        row,
        cluster: clusters.get(row.cluster)!,
        node: nodes.get(row.node)!,
        mig: migs.get(row.migInstanceId ?? '')!,
        pod: pods.get(row.pod ?? '')!,
      }),
    );
    this.model = new ReadModel<Keyed, GpuScoreOrderBy, Dimension>(keyed, SPEC);
  }

  /** Rows in scope matching `query`, in `order` (a memoised slice: do not mutate). */
  rows(query: ScoreQuery, scope: TenantScope, order: GpuScoreOrderBy): readonly ScoreRow[] {
    const { minScore, maxScore } = query;
    const scored = minScore !== undefined || maxScore !== undefined;
    return this.rowsWhere(
      order,
      `${scopeKey(scope)}|${JSON.stringify([query.cluster, query.labelledClusters, query.namespace, query.node, query.status, minScore, maxScore, query.activityState])}`,
      {
        cluster: selectClusters(query.cluster, query.labelledClusters, scope.clusters),
        namespace: narrow(query.namespace === undefined ? undefined : [query.namespace], scope.namespaces),
        node: query.node === undefined ? undefined : [query.node],
        status: query.status === undefined ? undefined : [query.status],
        activityState: query.activityState === undefined ? undefined : [query.activityState],
      },
      scored
        ? (r) =>
            r.score !== undefined &&
            (minScore === undefined || r.score >= minScore) &&
            (maxScore === undefined || r.score <= maxScore)
        : undefined,
    );
  }

  /**
   * The row of device `key` for `pod` the scope may see, else its first row in scope (as `rowsInScope` then a find);
   * null when not analysed or out of scope. No copy: `Gpu.score` asks this once per listed GPU.
   */
  rowFor(key: string, pod: string | undefined, scope: TenantScope): ScoreRow | null {
    let first: ScoreRow | null = null;
    for (const row of this.byKey.get(key) ?? []) {
      if (!inScope(scope, row.cluster, row.namespace)) continue;
      if (row.pod === pod) return row;
      first ??= row;
    }
    return first;
  }

  /** Scored rows in scope below `limit`, lowest first. */
  below(limit: number, scope: TenantScope): readonly ScoreRow[] {
    return this.rowsWhere(
      GpuScoreOrderBy.SCORE_ASC,
      `${scopeKey(scope)}|below:${limit}`,
      { cluster: narrow(undefined, scope.clusters), namespace: narrow(undefined, scope.namespaces) },
      (r) => r.score !== undefined && r.score < limit,
    );
  }

  /** Fleet statistics of the scope, computed once per scope and model. */
  statsOf(scope: TenantScope): ScoreStats {
    const key = scopeKey(scope);
    let stats = this.stats.get(key);
    if (!stats) {
      stats = computeStats(this.rows({}, scope, GpuScoreOrderBy.DEVICE));
      this.stats.set(key, stats);
    }
    return stats;
  }

  private readonly unwrapped = new WeakMap<readonly Keyed[], readonly ScoreRow[]>();

  private rowsWhere(
    order: GpuScoreOrderBy,
    key: string,
    within: Partial<Record<Dimension, readonly string[] | undefined>>,
    where: ((row: ScoreRow) => boolean) | undefined,
  ): readonly ScoreRow[] {
    const slice = this.model.slice(order, { key, within, where: where && ((k) => where(k.row)) });
    let rows = this.unwrapped.get(slice);
    if (!rows) {
      rows = slice.map((k) => k.row);
      this.unwrapped.set(slice, rows);
    }
    return rows;
  }
}
