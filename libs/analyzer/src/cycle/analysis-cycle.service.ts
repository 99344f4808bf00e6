import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';
import { Clock } from '@kcloud/common';
import { GPU_WINDOW_SOURCE, gpuKey, type GpuWindowSource } from '@kcloud/metrics-source';
import { AnalyzerConfigService } from '../analyzer-config.service';
import { ActivityTracker } from '../activity/activity-tracker.service';
import { ScoreMetricsExporter } from '../export/score-metrics.exporter';
import { IdleAccounting } from '../idle/idle-accounting.service';
import { diffScores } from '../scoring/changes';
import { type ScoreRecord, toRecord } from '../scoring/records';
import { withBoardHealth } from '../scoring/health-rule';
import { scoreDevice } from '../scoring/scoring';
import { WebhookNotifier } from '../webhooks/webhook-notifier';
import { planWebhooks } from '../webhooks/webhook-policy';
import { AnalyzerEvents, type AnalysisRunInfo } from './analyzer-events';
import { allocatedOnly, asUnallocated } from './allocated-only';
import { cycleSummary, lowUtilizationWarning } from './cycle-summary';
import { ANALYSIS_DURATION, ANALYSIS_ERRORS, ANALYSIS_SKIPPED, ANALYSIS_TOTAL } from './analyzer.metrics';
import { type AnalyzerState, AnalyzerStateStore } from './analyzer-state.store';
import { ScoreStore } from './score-store';

export type CycleTrigger = AnalysisRunInfo['trigger'];

/**
 * One analysis cycle: window aggregates of every GPU from the source (a constant number of requests per cluster),
 * scores, results installed per cluster (a failed cluster keeps its last results, marked stale), then events,
 * exported gauges and webhooks. Cycles never overlap: a scheduled tick during a run is skipped (and says so); a
 * manual trigger joins the running cycle.
 *
 * Across replicas and restarts the cycle works on the persisted AnalyzerState: it starts from the committed results
 * (so `statusSince` survives and a GPU seen before is not "new"), numbers its run after the last committed one, and
 * commits with compare-and-set before publishing or posting anything. A cycle whose commit is refused (another
 * replica committed meanwhile) is dropped; a scheduled cycle is skipped when the state shows one completed less than
 * half an interval ago (a new leader's timer is out of phase with the old one's). Webhooks are at most once: claimed
 * in the commit, posted after it (a crash between the two loses those posts rather than repeating them).
 */
@Injectable()
export class AnalysisCycle implements OnModuleInit {
  private readonly logger = new Logger(AnalysisCycle.name);
  private running?: { promise: Promise<AnalysisRunInfo | undefined>; startedAt: number };
  private last?: AnalysisRunInfo;

  constructor(
    @Inject(GPU_WINDOW_SOURCE) private readonly source: GpuWindowSource,
    private readonly store: ScoreStore,
    private readonly config: AnalyzerConfigService,
    private readonly clock: Clock,
    private readonly events: AnalyzerEvents,
    private readonly exporter: ScoreMetricsExporter,
    private readonly webhooks: WebhookNotifier,
    private readonly state: AnalyzerStateStore,
    @InjectMetric(ANALYSIS_TOTAL) private readonly total: Counter<string>,
    @InjectMetric(ANALYSIS_ERRORS) private readonly errors: Counter<string>,
    @InjectMetric(ANALYSIS_DURATION) private readonly duration: Histogram<string>,
    @InjectMetric(ANALYSIS_SKIPPED) private readonly skipped: Counter<string>,
    private readonly activity: ActivityTracker,
    private readonly idleLedger: IdleAccounting,
  ) {}

  /** Serves the persisted results from the first request after a restart, before any cycle has run here. */
  async onModuleInit(): Promise<void> {
    try {
      const { version, state } = await this.state.load();
      if (version) this.store.install(state.records);
    } catch (e) {
      this.logger.warn(`analyzer state unavailable at start (${(e as Error).message}); starting empty`);
    }
  }

  lastRun(): AnalysisRunInfo | undefined {
    return this.last;
  }

  /**
   * Resolves with the cycle's run, `joined` when it was already running; `undefined` when a scheduled tick skipped
   * (busy, or a cycle committed less than half an interval ago) or the cycle lost its commit to another replica.
   */
  async run(trigger: CycleTrigger): Promise<{ run: AnalysisRunInfo; joined: boolean } | undefined> {
    if (this.running) {
      if (trigger === 'schedule') {
        const busy = Math.round((this.clock.nowMs() - this.running.startedAt) / 1000);
        this.logger.warn(`scheduled analysis skipped: the previous cycle has been running for ${busy} s`);
        this.skipped.inc();
        return undefined;
      }
      const joined = await this.running.promise;
      return joined && { run: joined, joined: true };
    }
    const promise = this.execute(trigger).finally(() => (this.running = undefined));
    this.running = { promise, startedAt: this.clock.nowMs() };
    const run = await promise;
    return run && { run, joined: false };
  }

  /** Waits for a running cycle (shutdown). */
  async idle(): Promise<void> {
    await this.running?.promise.catch(() => undefined);
  }

  private async loadState(): Promise<{ version: number; state: AnalyzerState } | undefined> {
    try {
      return await this.state.load();
    } catch (e) {
      this.logger.warn(
        `analyzer state unavailable (${(e as Error).message}): this cycle runs on local results and posts no webhook`,
      );
      return undefined;
    }
  }

  private async execute(trigger: CycleTrigger): Promise<AnalysisRunInfo | undefined> {
    // The weights another replica stored are in force from this cycle on, whatever the notification did.
    await this.config.refresh();
    const startedMs = this.clock.nowMs();
    const at = new Date(startedMs);
    const cfg = this.config.current();
    const base = await this.loadState();
    const since = base?.state.lastCompletedAtMs;
    if (trigger !== 'manual' && since !== undefined && startedMs - since < (cfg.intervalSeconds * 1000) / 2) {
      this.skipped.inc();
      if (base) this.store.install(base.state.records);
      return undefined;
    }
    if (base?.version) this.store.install(base.state.records);
    // The highest id known here: the stored state's is lower only when Redis lost it (see ScoreStore.lastRunId).
    const id = Math.max(base?.state.lastRunId ?? 0, this.last?.id ?? 0, this.store.lastRunId) + 1;
    const finish = (
      fields: Pick<AnalysisRunInfo, 'gpuCount' | 'changedCount' | 'failedClusters' | 'error' | 'changedKeys'>,
    ): AnalysisRunInfo => {
      const completedAt = this.clock.now();
      const durationSeconds = (completedAt.getTime() - startedMs) / 1000;
      this.duration.observe(durationSeconds);
      this.total.inc();
      if (fields.error || fields.failedClusters.length) this.errors.inc();
      return { id, trigger, startedAt: at, completedAt, durationSeconds, ...fields };
    };
    try {
      const { items, failures } = await this.source.gpuWindowAggregates(
        {},
        { windowSeconds: cfg.windowSeconds, at },
      );
      const { scored: kept, unallocated } = allocatedOnly(withBoardHealth(items), this.config.allocatedOnly);
      const listed = [...kept, ...unallocated];
      const previous = this.store.snapshot();
      const scored = listed.map((a, i) => {
        const score = scoreDevice(a, cfg.scoring, startedMs);
        const result = i < kept.length ? score : asUnallocated(score);
        return toRecord(a, result, cfg.windowSeconds, at, previous.get(gpuKey(a)));
      });
      const fresh = await this.activity.advance(
        listed,
        scored,
        previous,
        startedMs,
        cfg.windowSeconds,
        cfg.scoring.stalenessSeconds,
      );
      const failedClusters = failures.map((f) => f.cluster);
      for (const f of failures)
        this.logger.warn(
          `analysis: cluster '${f.cluster}' failed (${f.message}); its last results are kept, marked stale`,
        );
      const changes = diffScores(previous, fresh);
      const records = merged(previous, fresh, new Set(failedClusters));
      const run = finish({
        gpuCount: kept.length,
        changedCount: changes.length,
        changedKeys: changes.map((c) => c.record.key),
        failedClusters,
      });
      this.logger.log(cycleSummary(run, fresh));
      const low = lowUtilizationWarning(run, fresh, cfg.scoring.thresholds.low);
      if (low) this.logger.warn(low);
      const plan = planWebhooks(changes, base?.state.cooldowns ?? {}, startedMs, this.webhooks.cooldownMs);
      if (base && !(await this.commit(base.version, run, records, plan.cooldowns))) return undefined;
      this.store.install(records);
      this.last = run;
      this.exporter.update(records);
      if (base && this.webhooks.enabled) this.webhooks.deliver(plan.due);
      // Only a committed cycle extends the idle ledger, so replicas never charge the same interval twice.
      if (base) await this.idleLedger.afterCycle(at, records);
      await this.events.publish(changes, run, records);
      return run;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.logger.error(`analysis cycle ${id} failed: ${message}`);
      // Nothing was measured: every result is kept, marked stale, rather than dropped.
      this.store.replace([], new Set(this.store.all().map((r) => r.cluster)));
      this.last = finish({ gpuCount: 0, changedCount: 0, failedClusters: [], error: message });
      return this.last;
    }
  }

  /** False when another replica committed since this cycle read the state: its results and webhooks are dropped. */
  private async commit(
    version: number,
    run: AnalysisRunInfo,
    records: readonly ScoreRecord[],
    cooldowns: AnalyzerState['cooldowns'],
  ): Promise<boolean> {
    const state: AnalyzerState = {
      lastRunId: run.id,
      lastCompletedAtMs: run.completedAt.getTime(),
      records,
      cooldowns,
    };
    const ok = await this.state.commit(version, state).catch((e: unknown) => {
      throw new Error(`committing analyzer state failed: ${(e as Error).message}`);
    });
    if (!ok) {
      this.skipped.inc();
      this.logger.warn(`analysis cycle ${run.id} dropped: another replica committed a cycle meanwhile`);
    }
    return ok;
  }
}

/** The next results: fresh ones, plus the previous ones of failed clusters kept and flagged stale. */
function merged(
  previous: ReadonlyMap<string, ScoreRecord>,
  fresh: readonly ScoreRecord[],
  failedClusters: ReadonlySet<string>,
): ScoreRecord[] {
  const next = new Map<string, ScoreRecord>();
  for (const r of previous.values())
    if (failedClusters.has(r.cluster)) next.set(r.key, r.stale ? r : { ...r, stale: true });
  for (const r of fresh) next.set(r.key, r);
  return [...next.values()];
}
