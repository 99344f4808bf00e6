import { Injectable } from '@nestjs/common';
import {
  badInput,
  Clock,
  type ClusterFailure,
  ErrorCode,
  notFound,
  type TenantScope,
  UNRESTRICTED,
} from '@kcloud/common';
import { AnalyzerConfigService } from './analyzer-config.service';
import { AnalysisCycle } from './cycle/analysis-cycle.service';
import { ScoreStore } from './cycle/score-store';
import { GpuScoreOrderBy } from './dto/gpu-scores.args';
import { rowsInScope, type ScoreRecord, type ScoreRow } from './scoring/records';
import type { ScoreStatus } from './scoring/scoring';
import { computeStats, type ScoreStats } from './scoring/stats';

export interface ScoreQuery {
  readonly cluster?: string;
  readonly namespace?: string;
  readonly node?: string;
  readonly status?: ScoreStatus;
  readonly minScore?: number;
  readonly maxScore?: number;
}

/**
 * Reads of the analyzer's results: all in memory (no source call), scoped per caller. A time-sliced GPU appears once
 * per pod holding it; a namespace-scoped caller sees only its own pods' rows.
 */
@Injectable()
export class AnalyzerService {
  constructor(
    private readonly store: ScoreStore,
    private readonly cycle: AnalysisCycle,
    private readonly config: AnalyzerConfigService,
    private readonly clock: Clock,
  ) {}

  /** The current results as attributed rows, filtered and scoped; also the export library's `scores` dataset. */
  results(
    query: ScoreQuery = {},
    scope: TenantScope = UNRESTRICTED,
    order = GpuScoreOrderBy.DEVICE,
  ): ScoreRow[] {
    if (query.minScore !== undefined && query.maxScore !== undefined && query.minScore > query.maxScore)
      throw badInput('filter', 'minScore must not be greater than maxScore');
    return rowsInScope(this.store.all(), scope)
      .filter((r) => matches(r, query))
      .sort(ORDER[order]);
  }

  /** One GPU (UUID, or UUID/instance) for the caller: its first row in scope. */
  result(id: string, scope: TenantScope = UNRESTRICTED): ScoreRow {
    if (!id) throw badInput('uuid', 'uuid must not be empty');
    const row = rowsInScope(this.recordsOf(id), scope)[0];
    if (!row) throw notFound('GPU score', id);
    return row;
  }

  /** The row of one GPU for one pod (the `Gpu.score` field); null when not analysed yet or out of scope. */
  resultForGpu(gpuId: string, pod: string | undefined, scope: TenantScope = UNRESTRICTED): ScoreRow | null {
    const record = this.store.get(gpuId);
    if (!record) return null;
    const rows = rowsInScope([record], scope);
    return rows.find((r) => r.pod === pod) ?? rows[0] ?? null;
  }

  stats(scope: TenantScope = UNRESTRICTED): ScoreStats {
    return computeStats(rowsInScope(this.store.all(), scope));
  }

  /** Scored GPUs below `threshold` (default: the low threshold), lowest first. */
  lowUtilization(threshold: number | undefined, scope: TenantScope = UNRESTRICTED): ScoreRow[] {
    const limit = threshold ?? this.config.current().scoring.thresholds.low;
    if (!Number.isFinite(limit) || limit < 0 || limit > 100)
      throw badInput('threshold', 'threshold must be between 0 and 100');
    return rowsInScope(this.store.all(), scope)
      .filter((r) => r.score !== undefined && r.score < limit)
      .sort(ORDER[GpuScoreOrderBy.SCORE_ASC]);
  }

  lastCompletedAt(): Date | undefined {
    return this.cycle.lastRun()?.completedAt;
  }

  /** Clusters (in scope) that failed in the latest cycle: their rows are stale, and responses say so. */
  failures(scope: TenantScope = UNRESTRICTED): ClusterFailure[] {
    const failed = this.cycle.lastRun()?.failedClusters ?? [];
    return failed
      .filter((cluster) => !scope.clusters?.length || scope.clusters.includes(cluster))
      .map((cluster) => ({
        cluster,
        code: ErrorCode.CLUSTER_UNAVAILABLE,
        message: 'failed in the latest analysis cycle; its GPUs show their last results, marked stale',
      }));
  }

  now(): number {
    return this.clock.nowMs();
  }

  private recordsOf(id: string): ScoreRecord[] {
    const exact = this.store.get(id);
    if (exact) return [exact];
    // A bare UUID of a MIG-sliced GPU names all its instances; the first in scope answers.
    return this.store.all().filter((r) => r.uuid === id);
  }
}

function matches(r: ScoreRow, q: ScoreQuery): boolean {
  return (
    (q.cluster === undefined || r.cluster === q.cluster) &&
    (q.namespace === undefined || r.namespace === q.namespace) &&
    (q.node === undefined || r.node === q.node) &&
    (q.status === undefined || r.status === q.status) &&
    (q.minScore === undefined || (r.score !== undefined && r.score >= q.minScore)) &&
    (q.maxScore === undefined || (r.score !== undefined && r.score <= q.maxScore))
  );
}

const byDevice = (a: ScoreRow, b: ScoreRow): number =>
  a.cluster.localeCompare(b.cluster) ||
  a.node.localeCompare(b.node) ||
  a.index - b.index ||
  (a.migInstanceId ?? '').localeCompare(b.migInstanceId ?? '', undefined, { numeric: true }) ||
  (a.pod ?? '').localeCompare(b.pod ?? '');

// Unknown scores sort last in both directions: "lowest first" must not start with GPUs we could not score.
const byScore = (dir: 1 | -1) => (a: ScoreRow, b: ScoreRow) =>
  a.score === undefined || b.score === undefined
    ? Number(a.score === undefined) - Number(b.score === undefined) || byDevice(a, b)
    : dir * (a.score - b.score) || byDevice(a, b);

const bySince = (dir: 1 | -1) => (a: ScoreRow, b: ScoreRow) =>
  dir * (a.statusSince.getTime() - b.statusSince.getTime()) || byDevice(a, b);

const ORDER: Readonly<Record<GpuScoreOrderBy, (a: ScoreRow, b: ScoreRow) => number>> = {
  [GpuScoreOrderBy.DEVICE]: byDevice,
  [GpuScoreOrderBy.SCORE_ASC]: byScore(1),
  [GpuScoreOrderBy.SCORE_DESC]: byScore(-1),
  [GpuScoreOrderBy.STATUS_SINCE_ASC]: bySince(1),
  [GpuScoreOrderBy.STATUS_SINCE_DESC]: bySince(-1),
};
