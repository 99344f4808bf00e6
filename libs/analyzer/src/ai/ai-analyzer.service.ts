import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { PubSubEngine } from 'graphql-subscriptions';
import type { Counter, Histogram } from 'prom-client';
import { DataVersions } from '@kcloud/cache';
import { AppConfig, Clock, DomainError, ErrorCode, redactSecrets } from '@kcloud/common';
import { LeaderLock, PUB_SUB, SharedState } from '@kcloud/realtime';
import { AnalyzerConfigService } from '../analyzer-config.service';
import { ANALYSIS_COMPLETED_TRIGGER, type AnalysisCompletedEvent } from '../cycle/analyzer-events';
import { ScoreStore } from '../cycle/score-store';
import type { GpuScoreStatus } from '../models/gpu-score-status.enum';
import type { AiAnalysis } from './ai-analysis.model';
import { type AiVerdict, parseChatAnswer } from './ai-answer';
import { type AiCandidate, aiCandidates, aiEvidence, aiStateKey } from './ai-evidence';
import { chatRequest } from './ai-prompt';
import { type AiResult, AiResults } from './ai-results';
import { ChatCompletionError, ChatCompletionsClient } from './chat-completions.client';
import { AI_REQUEST_DURATION, AI_REQUESTS, AI_SKIPPED, type AiRequestOutcome } from './ai.metrics';

/** The answers shared by the replicas (and kept across restarts where SharedState persists). */
export const AI_RESULTS_DOC = 'analyzer-ai-results';

/**
 * What one pass did: requests by outcome, and GPUs skipped because cached or over the cap (a pass that only probes a
 * failing endpoint counts the rest as capped too).
 */
export interface AiPassSummary {
  readonly candidates: number;
  readonly cached: number;
  readonly capped: number;
  /** True when the previous pass got no usable answer, so this one sent a single request to probe the endpoint. */
  readonly probing: boolean;
  readonly outcomes: Readonly<Partial<Record<AiRequestOutcome, number>>>;
}

/**
 * The seed's optional AI second opinion. After a cycle this replica ran and published (the analysis-completed event
 * it emitted), a pass asks an OpenAI-compatible endpoint about the GPUs worth a look (wasted, idle, low, near a
 * threshold), at most ANALYZER_AI_MAX_GPUS_PER_CYCLE new questions per pass, answers cached per GPU state.
 * Advisory only: a pass reads the published results and writes only its own answers, so a failing, slow or nonsense-
 * answering endpoint can neither change a status nor delay a cycle. Passes never overlap; one more is queued at most.
 * The answers are written to SharedState after each pass, so every replica shows them and a restart does not pay for
 * the same questions again.
 */
@Injectable()
export class AiAnalyzer implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AiAnalyzer.name);
  private readonly settings: AppConfig['analyzer']['ai'];
  private readonly results = new AiResults();
  private running: Promise<unknown> = Promise.resolve();
  private queued?: Promise<AiPassSummary>;
  private subscription?: number;
  /** The last pass sent requests and got no usable answer: the next ones send one probe until an answer comes. */
  private failing = false;
  /** Version of the shared answers this replica holds (0: none). */
  private sharedVersion = 0;

  constructor(
    app: AppConfig,
    private readonly config: AnalyzerConfigService,
    private readonly store: ScoreStore,
    private readonly client: ChatCompletionsClient,
    private readonly clock: Clock,
    private readonly lock: LeaderLock,
    @Inject(PUB_SUB) private readonly pubSub: PubSubEngine,
    private readonly shared: SharedState,
    versions: DataVersions,
    @InjectMetric(AI_REQUESTS) private readonly requests: Counter<string>,
    @InjectMetric(AI_SKIPPED) private readonly skipped: Counter<string>,
    @InjectMetric(AI_REQUEST_DURATION) private readonly duration: Histogram<string>,
  ) {
    this.settings = app.analyzer.ai;
    // Cached GraphQL answers that include aiAnalysis are stale once an answer arrives after the cycle.
    versions.register('analyzer-ai', () => this.results.version);
  }

  async onModuleInit(): Promise<void> {
    if (!this.configured) return;
    this.shared.onChange(AI_RESULTS_DOC, (version) => {
      if (version > this.sharedVersion) void this.loadShared();
    });
    await this.loadShared();
    if (!this.settings.enabled) return;
    this.subscription = await this.pubSub.subscribe(
      ANALYSIS_COMPLETED_TRIGGER,
      (event: AnalysisCompletedEvent) => {
        // Only the replica that ran the cycle asks (followers would pay for the same questions).
        if (event.origin === this.lock.id) void this.analyzeNow().catch(() => undefined);
      },
      {},
    );
  }

  /** Stops asking: requests in flight are aborted, so shutdown does not wait for a slow endpoint's timeout. */
  async onModuleDestroy(): Promise<void> {
    if (this.subscription !== undefined) this.pubSub.unsubscribe(this.subscription);
    this.client.close();
    await this.idle();
  }

  get configured(): boolean {
    return this.client.configured;
  }

  /** Throws NOT_SUPPORTED when no endpoint is configured (triggerAnalysis(useAi: true) checks before its cycle). */
  assertConfigured(): void {
    if (!this.configured)
      throw new DomainError(ErrorCode.NOT_SUPPORTED, 'AI analysis needs ANALYZER_AI_API_URL', {
        argument: 'useAi',
      });
  }

  /**
   * Runs a pass over the published results once the running one (if any) has finished; a second caller while one is
   * queued shares it. Never rejects: failures are counted and logged.
   */
  analyzeNow(): Promise<AiPassSummary> {
    if (this.queued) return this.queued;
    const next = this.running.then(() => {
      this.queued = undefined;
      return this.pass();
    });
    this.queued = next;
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Waits for the running and queued passes (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.queued) await this.queued;
    await this.running;
  }

  /** The second opinion on a GPU's current state, when there is one to show. */
  analysisOf(gpuKey: string): AiAnalysis | undefined {
    const record = this.store.get(gpuKey);
    if (!record) return undefined;
    const r = this.results.shown(gpuKey, aiStateKey(record), this.clock.nowMs());
    return r && toAiAnalysis(r.verdict, r.analyzedAtMs);
  }

  /** GPU keys with an answer (the gauges iterate these rather than the fleet). */
  analysedKeys(): readonly string[] {
    return [...this.results.keys()];
  }

  private async pass(): Promise<AiPassSummary> {
    const nowMs = this.clock.nowMs();
    const records = this.store.all();
    const versionBefore = this.results.version;
    this.results.prune(new Map(records.map((r) => [r.key, aiStateKey(r)])), nowMs);
    const scoring = this.config.current().scoring;
    const due = aiCandidates(records, {
      thresholds: scoring.thresholds,
      nearThresholdPoints: this.settings.nearThresholdPoints,
    });
    // A dead, refusing or nonsense-answering endpoint costs one request per pass, not the whole cap.
    const probing = this.failing;
    const limit = probing ? Math.min(1, this.settings.maxGpusPerCycle) : this.settings.maxGpusPerCycle;
    let cached = 0;
    const asked: { candidate: AiCandidate; stateKey: string }[] = [];
    for (const candidate of due) {
      const stateKey = aiStateKey(candidate.record);
      if (this.results.current(candidate.record.key, stateKey, nowMs)) cached++;
      else if (asked.length < limit) asked.push({ candidate, stateKey });
    }
    const capped = due.length - cached - asked.length;
    if (cached) this.skipped.inc({ reason: 'cached' }, cached);
    if (capped) this.skipped.inc({ reason: probing ? 'probing' : 'cap' }, capped);
    const rules = { weights: scoring.weights, thresholds: scoring.thresholds };
    const outcomes = await Promise.all(
      asked.map(({ candidate, stateKey }) => this.ask(candidate, stateKey, rules, nowMs)),
    );
    const counts: Partial<Record<AiRequestOutcome, number>> = {};
    for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
    const failed = outcomes.filter((o) => o !== 'ok' && o !== 'low_confidence').length;
    if (outcomes.length) this.failing = failed === outcomes.length;
    if (this.results.version !== versionBefore) await this.saveShared();
    if (failed)
      this.logger.warn(
        `AI analysis: ${failed} of ${outcomes.length} requests failed (${JSON.stringify(counts)}); ` +
          `rule-based statuses are unaffected${this.failing ? '; the next passes send one probe until one is answered' : ''}`,
      );
    return { candidates: due.length, cached, capped, probing, outcomes: counts };
  }

  private async ask(
    candidate: AiCandidate,
    stateKey: string,
    rules: Parameters<typeof aiEvidence>[1],
    nowMs: number,
  ): Promise<AiRequestOutcome> {
    const key = candidate.record.key;
    const started = performance.now();
    let outcome: AiRequestOutcome;
    try {
      const body = await this.client.complete(
        chatRequest(this.settings.model, aiEvidence(candidate, rules, nowMs)),
      );
      const parsed = parseChatAnswer(body, this.settings.model);
      if (!parsed.ok) throw new ChatCompletionError('invalid_answer', parsed.problem);
      const confident = parsed.verdict.confidence >= this.settings.minConfidence;
      const analyzedAtMs = this.clock.nowMs();
      this.results.put(key, {
        stateKey,
        verdict: parsed.verdict,
        confident,
        analyzedAtMs,
        expiresAtMs: analyzedAtMs + this.settings.cacheTtlSeconds * 1000,
      });
      outcome = confident ? 'ok' : 'low_confidence';
    } catch (e) {
      const error =
        e instanceof ChatCompletionError ? e : new ChatCompletionError('network_error', String(e));
      outcome = error.kind;
      // The message never holds the key (see ChatCompletionsClient); redacted all the same, as every upstream text.
      this.logger.debug(`AI analysis of ${key} failed: ${error.kind} (${redactSecrets(error.message)})`);
    }
    this.requests.inc({ outcome });
    this.duration.observe((performance.now() - started) / 1000);
    return outcome;
  }

  private async loadShared(): Promise<void> {
    try {
      const doc = await this.shared.read<[string, AiResult][]>(AI_RESULTS_DOC);
      if (!doc || doc.version <= this.sharedVersion) return;
      this.results.install(doc.value);
      this.sharedVersion = doc.version;
    } catch (e) {
      this.logger.warn(`shared AI answers unavailable (${(e as Error).message}); this replica keeps its own`);
    }
  }

  /** One writer in practice (the replica running cycles); a refused write means another one wrote: take theirs. */
  private async saveShared(): Promise<void> {
    try {
      const result = await this.shared.compareAndSet(
        AI_RESULTS_DOC,
        this.sharedVersion,
        this.results.entries(),
      );
      if (result.ok) this.sharedVersion = result.version;
      else await this.loadShared();
    } catch (e) {
      this.logger.warn(`sharing AI answers failed (${(e as Error).message}); other replicas show older ones`);
    }
  }
}

function toAiAnalysis(v: AiVerdict, analyzedAtMs: number): AiAnalysis {
  return {
    status: v.status as GpuScoreStatus,
    confidence: v.confidence,
    reason: v.reason,
    recommendation: v.recommendation,
    adjustedScore: v.adjustedScore,
    model: v.model,
    analyzedAt: new Date(analyzedAtMs),
  };
}
