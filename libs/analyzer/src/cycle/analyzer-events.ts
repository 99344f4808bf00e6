import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { PubSubEngine } from 'graphql-subscriptions';
import { LeaderLock, PUB_SUB } from '@kcloud/realtime';
import type { ScoreChange } from '../scoring/changes';
import type { ScoreRecord } from '../scoring/records';
import { ScoreStore } from './score-store';

export const SCORE_CHANGES_TRIGGER = 'analyzer.scoreChanges';
export const ANALYSIS_COMPLETED_TRIGGER = 'analyzer.analysisCompleted';

/** One analysis cycle, as reported to clients and subscribers. */
export interface AnalysisRunInfo {
  readonly id: number;
  readonly trigger: 'schedule' | 'manual' | 'startup';
  readonly startedAt: Date;
  readonly completedAt: Date;
  readonly durationSeconds: number;
  readonly gpuCount: number;
  readonly changedCount: number;
  readonly failedClusters: readonly string[];
  readonly error?: string;
  /** Record keys of the changes counted in `changedCount`, so a scoped view can count its own. */
  readonly changedKeys?: readonly string[];
}

/** One message per cycle, however many GPUs changed; each subscriber picks its own items. */
export interface ScoreChangesEvent {
  readonly changes: readonly ScoreChange[];
}

/** Carries the results, so every replica (and every subscriber's scope) computes stats from the same data. */
export interface AnalysisCompletedEvent {
  readonly origin: string;
  readonly run: AnalysisRunInfo;
  readonly records: readonly ScoreRecord[];
}

/**
 * Publishes a cycle's events and keeps follower replicas' results in step: with Redis PubSub the leader's completed
 * event reaches every replica, which installs the results it carries.
 */
@Injectable()
export class AnalyzerEvents implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AnalyzerEvents.name);
  private subscription?: number;

  constructor(
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine,
    private readonly lock: LeaderLock,
    private readonly store: ScoreStore,
  ) {}

  async onModuleInit(): Promise<void> {
    this.subscription = await this.pubSub.subscribe(
      ANALYSIS_COMPLETED_TRIGGER,
      (event: AnalysisCompletedEvent) => {
        this.store.noteRun(event.run.id);
        if (event.origin !== this.lock.id) this.store.replace(event.records, new Set());
      },
      {},
    );
  }

  onModuleDestroy(): void {
    if (this.subscription !== undefined) this.pubSub.unsubscribe(this.subscription);
  }

  async publish(
    changes: readonly ScoreChange[],
    run: AnalysisRunInfo,
    records: readonly ScoreRecord[],
  ): Promise<void> {
    try {
      if (changes.length)
        await this.pubSub.publish(SCORE_CHANGES_TRIGGER, { changes } satisfies ScoreChangesEvent);
      await this.pubSub.publish(ANALYSIS_COMPLETED_TRIGGER, {
        origin: this.lock.id,
        run,
        records,
      } satisfies AnalysisCompletedEvent);
    } catch (e) {
      // Subscribers miss one cycle; the results are stored and served all the same.
      this.logger.warn(`publishing analysis events failed: ${(e as Error).message}`);
    }
  }
}
