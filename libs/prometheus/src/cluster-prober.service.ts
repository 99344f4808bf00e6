import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@kcloud/common';
import { ClusterRegistry } from './cluster-registry.service';

/**
 * Keeps every cluster's health fresh in the background: one probe per cluster every HEALTH_PROBE_INTERVAL_SECONDS,
 * each bounded by HEALTH_PROBE_TIMEOUT_MS, rounds never overlapping. Readiness and the health reports read the
 * recorded states instead of probing on the request path, so one cluster that never answers costs them nothing.
 * Once started, the probes are also what test open circuits (callers keep failing fast until a probe succeeds).
 * Started by whoever needs it (the system module); a library test that only builds the registry has no timer.
 */
@Injectable()
export class ClusterProber implements OnModuleDestroy {
  private readonly logger = new Logger(ClusterProber.name);
  private timer?: NodeJS.Timeout;
  private startTimer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private firstRoundSettled = false;
  readonly intervalMs: number;
  readonly budgetMs: number;

  constructor(
    private readonly registry: ClusterRegistry,
    config: AppConfig,
  ) {
    this.intervalMs = config.env.HEALTH_PROBE_INTERVAL_SECONDS * 1000;
    this.budgetMs = config.env.HEALTH_PROBE_TIMEOUT_MS;
  }

  /** Idempotent. The first round starts at once; `started` turns true when it ends or its budget passes. */
  start(): void {
    if (this.timer) return;
    this.registry.probeInBackground();
    this.timer = setInterval(() => void this.runRound(), this.intervalMs);
    this.timer.unref();
    // The budget bounds each probe; this bounds the round even if a probe misbehaved.
    this.startTimer = setTimeout(() => (this.firstRoundSettled = true), this.budgetMs + 100);
    this.startTimer.unref();
    void this.runRound().finally(() => (this.firstRoundSettled = true));
  }

  /** True once the first probe round has ended (or its budget passed): the recorded states mean something. */
  get started(): boolean {
    return this.firstRoundSettled;
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.startTimer);
  }

  onModuleDestroy(): void {
    this.stop();
  }

  /**
   * One probe of every cluster, skipped while the previous round still runs. On a global endpoint (CLUSTER_LABEL) the
   * round first looks for label values that appeared since boot (or serves them at last if the endpoint was down then).
   */
  runRound(): Promise<void> {
    this.round ??= this.registry
      .discover()
      .catch((e: unknown) => this.logger.warn(`cluster discovery failed: ${(e as Error).message}`))
      .then(() => this.registry.checkAll(this.budgetMs))
      .then(() => undefined)
      .catch((e: unknown) => this.logger.warn(`cluster probe round failed: ${(e as Error).message}`))
      .finally(() => (this.round = undefined));
    return this.round;
  }
}
