import { Inject, Injectable } from '@nestjs/common';
import type { PubSubEngine } from 'graphql-subscriptions';
import { badInput, Clock, type TenantScope } from '@kcloud/common';
import { flatMapEvents, PUB_SUB } from '@kcloud/realtime';
import {
  ANALYSIS_COMPLETED_TRIGGER,
  type AnalysisCompletedEvent,
  SCORE_CHANGES_TRIGGER,
  type ScoreChangesEvent,
} from './cycle/analyzer-events';
import { toGpuScore, toGpuScoreStats } from './gpu-score-view';
import type { AnalysisCompleted, GpuScoreChange } from './models/score-events.model';
import type { GpuScoreChangeKind } from './models/score-events.model';
import type { GpuScoreStatus } from './models/gpu-score-status.enum';
import { runForScope } from './run-view';
import { MIN_DELTA_BOUNDS, passesMinDelta, type ScoreChange } from './scoring/changes';
import { rowsInScope, type ScoreRow } from './scoring/records';
import type { ScoreStatus } from './scoring/scoring';
import { computeStats } from './scoring/stats';

export interface ScoreChangeFilter {
  readonly cluster?: string;
  readonly namespace?: string;
  readonly status?: ScoreStatus;
  /** GPU UUIDs, or UUID/instance for one MIG instance. */
  readonly uuids?: readonly string[];
}

/**
 * The event streams behind the subscriptions. Every subscriber gets only what matches its filter and its tenant
 * scope: a namespace-scoped key sees its own pods' rows and never another tenant's, even on a shared GPU.
 */
@Injectable()
export class ScoreSubscriptions {
  constructor(
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine,
    private readonly clock: Clock,
  ) {}

  scoreChanges(
    filter: ScoreChangeFilter,
    minDelta: number,
    scope: TenantScope,
  ): AsyncIterableIterator<GpuScoreChange> {
    if (!(minDelta >= MIN_DELTA_BOUNDS.min && minDelta <= MIN_DELTA_BOUNDS.max))
      throw badInput(
        'minDelta',
        `minDelta must be between ${MIN_DELTA_BOUNDS.min} and ${MIN_DELTA_BOUNDS.max}`,
      );
    const source = this.pubSub.asyncIterableIterator<ScoreChangesEvent>(SCORE_CHANGES_TRIGGER);
    return flatMapEvents(source, ({ changes }) => {
      const now = this.clock.nowMs();
      return changes
        .filter((c) => passesMinDelta(c, minDelta))
        .flatMap((c) =>
          rowsInScope([c.record], scope)
            .filter((row) => rowMatches(row, filter))
            .map((row) => toChange(c, row, now)),
        );
    });
  }

  analysisCompleted(scope: TenantScope): AsyncIterableIterator<AnalysisCompleted> {
    const source = this.pubSub.asyncIterableIterator<AnalysisCompletedEvent>(ANALYSIS_COMPLETED_TRIGGER);
    return flatMapEvents(source, ({ run, records }) => [
      {
        run: runForScope(run, records, scope),
        durationSeconds: run.durationSeconds,
        stats: toGpuScoreStats(computeStats(rowsInScope(records, scope)), run.completedAt),
      },
    ]);
  }
}

function rowMatches(row: ScoreRow, f: ScoreChangeFilter): boolean {
  return (
    (f.cluster === undefined || row.cluster === f.cluster) &&
    (f.namespace === undefined || row.namespace === f.namespace) &&
    (f.status === undefined || row.status === f.status) &&
    (f.uuids === undefined || f.uuids.includes(row.uuid) || f.uuids.includes(row.key))
  );
}

function toChange(c: ScoreChange, row: ScoreRow, now: number): GpuScoreChange {
  return {
    kind: c.kind as GpuScoreChangeKind,
    gpu: toGpuScore(row, now),
    previousStatus: c.previousStatus as GpuScoreStatus | undefined,
    previousScore: c.previousScore,
    scoreDelta:
      c.previousScore !== undefined && row.score !== undefined ? row.score - c.previousScore : undefined,
  };
}
