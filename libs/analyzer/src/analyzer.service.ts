import { Injectable, Optional } from '@nestjs/common';
import { DataVersions } from '@kcloud/cache';
import { LeaderLock } from '@kcloud/realtime';
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
import { ScoreReadModel, type ScoreQuery } from './score-read-model';
import { rowsInScope, type ScoreRecord, type ScoreRow } from './scoring/records';
import type { ScoreStats } from './scoring/stats';

export type { ScoreQuery } from './score-read-model';

/**
 * Reads of the analyzer's results: all in memory (no source call), scoped per caller. A time-sliced GPU appears once
 * per pod holding it; a namespace-scoped caller sees only its own pods' rows. Lists come from a read model built
 * once per installed cycle (see ScoreReadModel): a request pages a memoised slice, it never sorts the fleet.
 */
@Injectable()
export class AnalyzerService {
  private model?: ScoreReadModel;

  constructor(
    private readonly store: ScoreStore,
    private readonly cycle: AnalysisCycle,
    private readonly config: AnalyzerConfigService,
    private readonly clock: Clock,
    versions: DataVersions,
    @Optional() lock?: LeaderLock,
  ) {
    // Whole answers cached by the response cache are keyed by this version: an installed cycle invalidates them.
    versions.register('analyzer', () => this.store.version);
    // So do a config version applied here (another replica's change) and a leader change (`analyzerConfig.leader`):
    // without them a replica answered the old settings, or `leader: true` after losing the lock, for the cache TTL.
    versions.register('analyzer-config', () => config.version());
    versions.register('analyzer-leader', () => lock?.changes ?? 0);
  }

  /** The current results as attributed rows, filtered and scoped; also the export library's `scores` dataset. */
  results(
    query: ScoreQuery = {},
    scope: TenantScope = UNRESTRICTED,
    order = GpuScoreOrderBy.DEVICE,
  ): readonly ScoreRow[] {
    if (query.minScore !== undefined && query.maxScore !== undefined && query.minScore > query.maxScore)
      throw badInput('filter', 'minScore must not be greater than maxScore');
    return this.readModel().rows(query, scope, order);
  }

  /** The version of the results behind every read: changes whenever a cycle (or another replica's) is installed. */
  version(): number {
    return this.store.version;
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
    return this.readModel().rowFor(gpuId, pod, scope);
  }

  stats(scope: TenantScope = UNRESTRICTED): ScoreStats {
    return this.readModel().statsOf(scope);
  }

  /** Scored GPUs below `threshold` (default: the low threshold), lowest first. */
  lowUtilization(threshold: number | undefined, scope: TenantScope = UNRESTRICTED): readonly ScoreRow[] {
    const limit = threshold ?? this.config.current().scoring.thresholds.low;
    if (!Number.isFinite(limit) || limit < 0 || limit > 100)
      throw badInput('threshold', 'threshold must be between 0 and 100');
    return this.readModel().below(limit, scope);
  }

  lastCompletedAt(): Date | undefined {
    return this.cycle.lastRun()?.completedAt;
  }

  /**
   * Clusters (in scope, and the one asked for if any) that failed in the latest cycle: their rows are stale, and
   * responses say so. A question about another cluster does not carry this one's failure.
   */
  failures(scope: TenantScope = UNRESTRICTED, cluster?: string): ClusterFailure[] {
    const failed = this.cycle.lastRun()?.failedClusters ?? [];
    return failed
      .filter(
        (c) =>
          (cluster === undefined || c === cluster) && (!scope.clusters?.length || scope.clusters.includes(c)),
      )
      .map((c) => ({
        cluster: c,
        code: ErrorCode.CLUSTER_UNAVAILABLE,
        message: 'failed in the latest analysis cycle; its GPUs show their last results, marked stale',
      }));
  }

  now(): number {
    return this.clock.nowMs();
  }

  /** Built on the first read after the store changed, then shared by every request until the next change. */
  private readModel(): ScoreReadModel {
    const version = this.store.version;
    if (this.model?.version !== version) this.model = new ScoreReadModel(version, this.store.all());
    return this.model;
  }

  private recordsOf(id: string): ScoreRecord[] {
    const exact = this.store.get(id);
    if (exact) return [exact];
    // A bare UUID of a MIG-sliced GPU names all its instances; the first in scope answers.
    return this.store.all().filter((r) => r.uuid === id);
  }
}
