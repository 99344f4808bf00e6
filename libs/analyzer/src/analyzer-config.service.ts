import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit, Optional } from '@nestjs/common';
import { AppConfig, badInput } from '@kcloud/common';
import { SharedState } from '@kcloud/realtime';
import { MIN_DELTA_BOUNDS } from './scoring/changes';
import {
  scoringConfigProblems,
  type ScoreThresholds,
  type ScoreWeights,
  type ScoringConfig,
} from './scoring/scoring-config';

/** The analyzer settings in force; changed at run time by `updateAnalyzerConfig`. */
export interface AnalyzerRuntimeConfig {
  readonly scoring: ScoringConfig;
  readonly intervalSeconds: number;
  readonly windowSeconds: number;
  readonly minDelta: number;
}

export const ANALYZER_CONFIG_DOC = 'analyzer-config';
/** Safety net next to the change notification: every replica re-reads the stored version this often. */
const REREAD_EVERY_MS = 5_000;
const MAX_CAS_ATTEMPTS = 5;

/** The stored document: the settings `updateAnalyzerConfig` may change, and who changed them last. */
interface StoredAnalyzerConfig {
  readonly weights: ScoreWeights;
  readonly thresholds: ScoreThresholds;
  readonly intervalSeconds: number;
  readonly windowSeconds: number;
  readonly minDelta: number;
  readonly idleActivityPercent: number;
  readonly changedBy: string;
}

export interface AnalyzerConfigPatch {
  readonly weights?: ScoreWeights;
  readonly thresholds?: ScoreThresholds;
  readonly intervalSeconds?: number;
  readonly windowSeconds?: number;
  readonly minDelta?: number;
  readonly idleActivityPercent?: number;
}

export const INTERVAL_BOUNDS = { min: 1, max: 86_400 } as const;
export const WINDOW_BOUNDS = { min: 5, max: 86_400 } as const;

/**
 * One source of analyzer settings: starts from AppConfig (ANALYZER_*), validated again on every change with the
 * same rules, and tells listeners (the scheduler) when the interval changes.
 *
 * Changes are stored in SharedState (Redis, else STATE_DIR, else memory) as a versioned document, so they reach every
 * replica (change notification, plus a re-read every few seconds and at the start of each cycle) and survive
 * restarts: a stored change wins over ANALYZER_* at boot. Writes are compare-and-set on the version: a patch is
 * re-applied on the newest version when another replica wrote first, and a caller that names `expectedVersion` is
 * refused when it is stale. Every applied change is logged (who, what, version from → to).
 */
@Injectable()
export class AnalyzerConfigService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AnalyzerConfigService.name);
  private config: AnalyzerRuntimeConfig;
  private stored = 0;
  private timer?: NodeJS.Timeout;
  private readonly listeners = new Set<(config: AnalyzerRuntimeConfig) => void>();
  /** ANALYZER_ALLOCATED_ONLY, a boot setting (not patched at runtime): score only GPUs some pod holds. */
  readonly allocatedOnly: boolean;

  constructor(
    app: AppConfig,
    @Optional() private readonly shared?: SharedState,
  ) {
    const a = app.analyzer;
    this.allocatedOnly = a.allocatedOnly;
    this.config = {
      scoring: {
        weights: a.weights,
        thresholds: a.thresholds,
        idleActivityPercent: a.idleActivityPercent,
        stalenessSeconds: a.stalenessSeconds,
        defaultPowerLimitWatts: a.defaultPowerLimitWatts,
      },
      intervalSeconds: a.intervalSeconds,
      windowSeconds: a.windowSeconds,
      minDelta: a.minDelta,
    };
  }

  async onModuleInit(): Promise<void> {
    if (!this.shared) return;
    this.shared.onChange(ANALYZER_CONFIG_DOC, (version) => {
      if (version > this.stored) void this.refresh();
    });
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), REREAD_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  current(): AnalyzerRuntimeConfig {
    return this.config;
  }

  /** The stored version in force here (0: nothing stored, ANALYZER_* as configured). */
  version(): number {
    return this.stored;
  }

  onChange(listener: (config: AnalyzerRuntimeConfig) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies the stored version if it is newer than the one in force; never throws (a cycle calls it first). */
  async refresh(): Promise<void> {
    if (!this.shared) return;
    try {
      if ((await this.shared.readVersion(ANALYZER_CONFIG_DOC)) <= this.stored) return;
      const doc = await this.shared.read<StoredAnalyzerConfig>(ANALYZER_CONFIG_DOC);
      if (doc && doc.version > this.stored) this.apply(this.merge(doc.value), doc.version);
    } catch (e) {
      this.logger.warn(
        `stored analyzer config unavailable (${(e as Error).message}); keeping version ${this.stored}`,
      );
    }
  }

  /**
   * Validates the whole result before applying anything; BAD_USER_INPUT lists every problem. `actor` names the caller
   * in the audit line; `expectedVersion`, when given, must be the stored version (else BAD_USER_INPUT, nothing written).
   */
  async update(
    patch: AnalyzerConfigPatch,
    actor = 'unknown',
    expectedVersion?: number,
  ): Promise<AnalyzerRuntimeConfig> {
    for (let attempt = 1; ; attempt++) {
      await this.refresh();
      const base = this.stored;
      if (expectedVersion !== undefined && expectedVersion !== base)
        throw badInput(
          'expectedVersion',
          `the analyzer config is at version ${base}, not ${expectedVersion}: re-read it and retry`,
        );
      const next = this.merge(patch);
      const problems = problemsOf(next);
      const [first] = problems;
      if (first) throw badInput(problemArgument(first), problems.join('; '));
      if (!this.shared) {
        this.audit(actor, next, base + 1);
        this.apply(next, base + 1);
        return next;
      }
      const result = await this.shared.compareAndSet<StoredAnalyzerConfig>(ANALYZER_CONFIG_DOC, base, {
        ...storable(next),
        changedBy: actor,
      });
      if (result.ok) {
        this.audit(actor, next, result.version);
        this.apply(next, result.version);
        return next;
      }
      // Another replica wrote first: re-read and re-apply the patch on its version (bounded).
      if (attempt >= MAX_CAS_ATTEMPTS)
        throw new Error(`analyzer config: ${MAX_CAS_ATTEMPTS} concurrent writers in a row; retry`);
    }
  }

  private merge(patch: AnalyzerConfigPatch): AnalyzerRuntimeConfig {
    const c = this.config;
    return {
      scoring: {
        ...c.scoring,
        weights: patch.weights ?? c.scoring.weights,
        thresholds: patch.thresholds ?? c.scoring.thresholds,
        idleActivityPercent: patch.idleActivityPercent ?? c.scoring.idleActivityPercent,
      },
      intervalSeconds: patch.intervalSeconds ?? c.intervalSeconds,
      windowSeconds: patch.windowSeconds ?? c.windowSeconds,
      minDelta: patch.minDelta ?? c.minDelta,
    };
  }

  private apply(next: AnalyzerRuntimeConfig, version: number): void {
    this.config = next;
    this.stored = version;
    for (const listener of this.listeners) listener(next);
  }

  private audit(actor: string, next: AnalyzerRuntimeConfig, version: number): void {
    const before = storable(this.config);
    const after = storable(next);
    const changed = (Object.keys(after) as (keyof typeof after)[])
      .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      .map((k) => `${k} ${JSON.stringify(before[k])} → ${JSON.stringify(after[k])}`);
    this.logger.log(
      `analyzer config changed by '${actor}', version ${this.stored} → ${version}: ${changed.join(', ') || 'no field changed'}`,
    );
  }
}

const storable = (c: AnalyzerRuntimeConfig): Omit<StoredAnalyzerConfig, 'changedBy'> => ({
  weights: c.scoring.weights,
  thresholds: c.scoring.thresholds,
  intervalSeconds: c.intervalSeconds,
  windowSeconds: c.windowSeconds,
  minDelta: c.minDelta,
  idleActivityPercent: c.scoring.idleActivityPercent,
});

function problemsOf(next: AnalyzerRuntimeConfig): string[] {
  return [
    ...scoringConfigProblems(next.scoring.weights, next.scoring.thresholds),
    ...boundProblem('intervalSeconds', next.intervalSeconds, INTERVAL_BOUNDS, true),
    ...boundProblem('windowSeconds', next.windowSeconds, WINDOW_BOUNDS, true),
    ...boundProblem('minDelta', next.minDelta, MIN_DELTA_BOUNDS, false),
    ...boundProblem('idleActivityPercent', next.scoring.idleActivityPercent, { min: 0, max: 100 }, false),
  ];
}

function boundProblem(
  name: string,
  value: number,
  b: { min: number; max: number },
  integer: boolean,
): string[] {
  const ok =
    Number.isFinite(value) && value >= b.min && value <= b.max && (!integer || Number.isInteger(value));
  return ok
    ? []
    : [`${name} must be ${integer ? 'an integer' : 'a number'} between ${b.min} and ${b.max} (got ${value})`];
}

/** The argument a problem names (`weights.power …` → `weights`), for the error's `argument` detail. */
const problemArgument = (problem: string): string => problem.split(/[ .]/, 1)[0] ?? problem;
