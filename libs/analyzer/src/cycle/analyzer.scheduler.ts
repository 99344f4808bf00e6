import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { AppConfig } from '@kcloud/common';
import { LeaderLock } from '@kcloud/realtime';
import { AnalyzerConfigService } from '../analyzer-config.service';
import { ScoreMetricsExporter } from '../export/score-metrics.exporter';
import { AnalysisCycle } from './analysis-cycle.service';
import { ANALYZER_LAST_SUCCESS, ANALYZER_LEADER } from './analyzer.metrics';

export const ANALYZER_INTERVAL_NAME = 'analyzer-cycle';
/** Boot waits at most this long for the first cycle (a cluster that is down must not hold the app back). */
const STARTUP_WAIT_MS = 10_000;

/**
 * Thin schedule: every interval, if this replica holds the leader lock, start a cycle (the cycle itself refuses to
 * overlap). The interval lives in SchedulerRegistry so `updateAnalyzerConfig` can change it at run time.
 */
@Injectable()
export class AnalyzerScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AnalyzerScheduler.name);
  private unsubscribe?: () => void;

  constructor(
    private readonly app: AppConfig,
    private readonly config: AnalyzerConfigService,
    private readonly cycle: AnalysisCycle,
    private readonly lock: LeaderLock,
    private readonly exporter: ScoreMetricsExporter,
    private readonly registry: SchedulerRegistry,
    @InjectMetric(ANALYZER_LEADER) private readonly leader: Gauge<string>,
    @InjectMetric(ANALYZER_LAST_SUCCESS) private readonly lastSuccess: Gauge<string>,
  ) {}

  /**
   * Runs the first cycle before the app starts serving (bounded by STARTUP_WAIT_MS), so scores exist from the first
   * request and no cycle is still in flight when clients start; then schedules the rest.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.app.analyzer.enabled) {
      this.logger.log('scheduled analysis disabled (ANALYZER_ENABLED=false); triggerAnalysis still works');
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, STARTUP_WAIT_MS)));
    await Promise.race([this.tick('startup'), deadline]);
    clearTimeout(timer);
    this.schedule(this.config.current().intervalSeconds);
    this.unsubscribe = this.config.onChange((c) => this.schedule(c.intervalSeconds));
  }

  async onModuleDestroy(): Promise<void> {
    this.unsubscribe?.();
    if (this.registry.doesExist('interval', ANALYZER_INTERVAL_NAME))
      this.registry.deleteInterval(ANALYZER_INTERVAL_NAME);
    await this.cycle.idle();
  }

  private schedule(intervalSeconds: number): void {
    if (this.registry.doesExist('interval', ANALYZER_INTERVAL_NAME))
      this.registry.deleteInterval(ANALYZER_INTERVAL_NAME);
    this.registry.addInterval(
      ANALYZER_INTERVAL_NAME,
      setInterval(() => void this.tick('schedule'), intervalSeconds * 1000),
    );
  }

  private async tick(trigger: 'schedule' | 'startup'): Promise<void> {
    const leader = this.lock.isLeader();
    this.leader.set(leader ? 1 : 0);
    if (!leader) {
      // A former leader must not keep exporting results it no longer refreshes.
      this.exporter.clear();
      return;
    }
    await this.cycle
      .run(trigger)
      .then((r) => {
        if (r && !r.run.error) this.lastSuccess.set(r.run.completedAt.getTime() / 1000);
      })
      .catch((e: unknown) => this.logger.error(`analysis cycle failed: ${String(e)}`));
  }
}
