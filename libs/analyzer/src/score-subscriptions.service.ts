import { Injectable } from '@nestjs/common';
import { badInput, Clock, type TenantScope } from '@kcloud/common';
import { EventTopics, flatMapEvents } from '@kcloud/realtime';
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
import { type ChangeRow, ScoreChangeIndex, type ScoreChangeFilter } from './score-change-index';
import { MIN_DELTA_BOUNDS } from './scoring/changes';
import { computeStats, statsRows } from './scoring/stats';

export type { ScoreChangeFilter } from './score-change-index';

/** Per event: its index (score changes) and the items computed for each distinct (filter, minDelta, scope). */
interface EventViews<T> {
  index?: ScoreChangeIndex;
  readonly items: Map<string, readonly T[]>;
}

/**
 * The event streams behind the subscriptions. Every subscriber gets only what matches its filter and its tenant
 * scope: a namespace-scoped key sees its own pods' rows and never another tenant's, even on a shared GPU.
 *
 * Fan-out: one PubSub listener per topic (EventTopics), and per event the items of each distinct (filter, minDelta,
 * scope) are computed once — from an index of the event — and the *same objects* handed to every subscriber holding
 * that combination, so the shared execution (SharedSubscriptions) runs the selection once for all of them.
 */
@Injectable()
export class ScoreSubscriptions {
  private readonly changeViews = new WeakMap<ScoreChangesEvent, EventViews<GpuScoreChange>>();
  private readonly completedViews = new WeakMap<AnalysisCompletedEvent, EventViews<AnalysisCompleted>>();

  constructor(
    private readonly topics: EventTopics,
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
    const key = JSON.stringify([filterKey(filter), minDelta, scopeKey(scope)]);
    return flatMapEvents(this.topics.iterate<ScoreChangesEvent>(SCORE_CHANGES_TRIGGER), (event) =>
      memo(this.changeViews, event, key, (views) => {
        views.index ??= new ScoreChangeIndex(event.changes);
        const now = this.clock.nowMs();
        return views.index.select(filter, minDelta, scope).map((r) => toChange(r, now));
      }),
    );
  }

  analysisCompleted(scope: TenantScope): AsyncIterableIterator<AnalysisCompleted> {
    return flatMapEvents(this.topics.iterate<AnalysisCompletedEvent>(ANALYSIS_COMPLETED_TRIGGER), (event) =>
      memo(this.completedViews, event, scopeKey(scope), () => {
        const { run, records } = event;
        return [
          {
            run: runForScope(run, records, scope),
            durationSeconds: run.durationSeconds,
            stats: toGpuScoreStats(computeStats(statsRows(records, scope)), run.completedAt),
          },
        ];
      }),
    );
  }
}

function memo<E extends object, T>(
  views: WeakMap<E, EventViews<T>>,
  event: E,
  key: string,
  compute: (views: EventViews<T>) => readonly T[],
): readonly T[] {
  let v = views.get(event);
  if (!v) views.set(event, (v = { items: new Map() }));
  let items = v.items.get(key);
  if (!items) v.items.set(key, (items = compute(v)));
  return items;
}

function filterKey(f: ScoreChangeFilter): unknown[] {
  return [
    f.cluster ?? null,
    f.labelledClusters ? [...f.labelledClusters].sort() : null,
    f.namespace ?? null,
    f.status ?? null,
    f.uuids ? [...new Set(f.uuids)].sort() : null,
  ];
}

function scopeKey(scope: TenantScope): string {
  return JSON.stringify([
    scope.clusters ? [...scope.clusters].sort() : null,
    scope.namespaces ? [...scope.namespaces].sort() : null,
  ]);
}

function toChange({ change: c, row }: ChangeRow, now: number): GpuScoreChange {
  return {
    kind: c.kind as GpuScoreChangeKind,
    gpu: toGpuScore(row, now),
    previousStatus: c.previousStatus as GpuScoreStatus | undefined,
    previousScore: c.previousScore,
    scoreDelta:
      c.previousScore !== undefined && row.score !== undefined ? row.score - c.previousScore : undefined,
  };
}
