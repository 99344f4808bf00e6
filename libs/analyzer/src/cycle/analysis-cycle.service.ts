import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';
import { Clock } from '@kcloud/common';
import { gpuKey, METRIC_SOURCE, type MetricSource } from '@kcloud/metrics-source';
import { AnalyzerConfigService } from '../analyzer-config.service';
import { ScoreMetricsExporter } from '../export/score-metrics.exporter';
import { diffScores } from '../scoring/changes';
import { toRecord } from '../scoring/records';
import { scoreDevice } from '../scoring/scoring';
import { WebhookNotifier } from '../webhooks/webhook-notifier';
import { AnalyzerEvents, type AnalysisRunInfo } from './analyzer-events';
import { ANALYSIS_DURATION, ANALYSIS_ERRORS, ANALYSIS_SKIPPED, ANALYSIS_TOTAL } from './analyzer.metrics';
import { ScoreStore } from './score-store';

export type CycleTrigger = AnalysisRunInfo['trigger'];

/**
 * One analysis cycle: window aggregates of every GPU from the source (a constant number of requests per cluster),
 * scores, results installed per cluster (a failed cluster keeps its last results, marked stale), then events,
 * exported gauges and webhooks. Cycles never overlap: a scheduled tick during a run is skipped (and says so); a
 * manual trigger joins the running cycle.
 */
@Injectable()
export class AnalysisCycle {
  private readonly logger = new Logger(AnalysisCycle.name);
  private running?: { promise: Promise<AnalysisRunInfo>; startedAt: number };
  private last?: AnalysisRunInfo;
  private runs = 0;

  constructor(
    @Inject(METRIC_SOURCE) private readonly source: MetricSource,
    private readonly store: ScoreStore,
    private readonly config: AnalyzerConfigService,
    private readonly clock: Clock,
    private readonly events: AnalyzerEvents,
    private readonly exporter: ScoreMetricsExporter,
    private readonly webhooks: WebhookNotifier,
    @InjectMetric(ANALYSIS_TOTAL) private readonly total: Counter<string>,
    @InjectMetric(ANALYSIS_ERRORS) private readonly errors: Counter<string>,
    @InjectMetric(ANALYSIS_DURATION) private readonly duration: Histogram<string>,
    @InjectMetric(ANALYSIS_SKIPPED) private readonly skipped: Counter<string>,
  ) {}

  lastRun(): AnalysisRunInfo | undefined {
    return this.last;
  }

  /** Resolves with the cycle's run, `joined` when it was already running; `undefined` when a scheduled tick skipped. */
  async run(trigger: CycleTrigger): Promise<{ run: AnalysisRunInfo; joined: boolean } | undefined> {
    if (this.running) {
      if (trigger === 'schedule') {
        const busy = Math.round((this.clock.nowMs() - this.running.startedAt) / 1000);
        this.logger.warn(`scheduled analysis skipped: the previous cycle has been running for ${busy} s`);
        this.skipped.inc();
        return undefined;
      }
      return { run: await this.running.promise, joined: true };
    }
    const promise = this.execute(trigger).finally(() => (this.running = undefined));
    this.running = { promise, startedAt: this.clock.nowMs() };
    return { run: await promise, joined: false };
  }

  /** Waits for a running cycle (shutdown). */
  async idle(): Promise<void> {
    await this.running?.promise.catch(() => undefined);
  }

  private async execute(trigger: CycleTrigger): Promise<AnalysisRunInfo> {
    const startedMs = this.clock.nowMs();
    const at = new Date(startedMs);
    const id = ++this.runs;
    const cfg = this.config.current();
    const finish = (
      fields: Pick<AnalysisRunInfo, 'gpuCount' | 'changedCount' | 'failedClusters' | 'error' | 'changedKeys'>,
    ) => {
      const completedAt = this.clock.now();
      const durationSeconds = (completedAt.getTime() - startedMs) / 1000;
      this.duration.observe(durationSeconds);
      this.total.inc();
      if (fields.error || fields.failedClusters.length) this.errors.inc();
      this.last = { id, trigger, startedAt: at, completedAt, durationSeconds, ...fields };
      return this.last;
    };
    try {
      const { items, failures } = await this.source.gpuWindowAggregates(
        {},
        { windowSeconds: cfg.windowSeconds, at },
      );
      const previous = this.store.snapshot();
      const fresh = items.map((a) =>
        toRecord(a, scoreDevice(a, cfg.scoring, startedMs), cfg.windowSeconds, at, previous.get(gpuKey(a))),
      );
      const failedClusters = failures.map((f) => f.cluster);
      for (const f of failures)
        this.logger.warn(
          `analysis: cluster '${f.cluster}' failed (${f.message}); its last results are kept, marked stale`,
        );
      this.store.replace(fresh, new Set(failedClusters));
      const changes = diffScores(previous, fresh);
      const records = this.store.all();
      const run = finish({
        gpuCount: fresh.length,
        changedCount: changes.length,
        changedKeys: changes.map((c) => c.record.key),
        failedClusters,
      });
      this.exporter.update(records);
      this.webhooks.notify(changes);
      await this.events.publish(changes, run, records);
      return run;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.logger.error(`analysis cycle ${id} failed: ${message}`);
      // Nothing was measured: every result is kept, marked stale, rather than dropped.
      this.store.replace([], new Set(this.store.all().map((r) => r.cluster)));
      return finish({ gpuCount: 0, changedCount: 0, failedClusters: [], error: message });
    }
  }
}
