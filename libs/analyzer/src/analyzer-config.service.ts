import { Injectable } from '@nestjs/common';
import { AppConfig, badInput } from '@kcloud/common';
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
 */
@Injectable()
export class AnalyzerConfigService {
  private config: AnalyzerRuntimeConfig;
  private readonly listeners = new Set<(config: AnalyzerRuntimeConfig) => void>();

  constructor(app: AppConfig) {
    const a = app.analyzer;
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

  current(): AnalyzerRuntimeConfig {
    return this.config;
  }

  onChange(listener: (config: AnalyzerRuntimeConfig) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Validates the whole result before applying anything; BAD_USER_INPUT lists every problem. */
  update(patch: AnalyzerConfigPatch): AnalyzerRuntimeConfig {
    const c = this.config;
    const next: AnalyzerRuntimeConfig = {
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
    const problems = [
      ...scoringConfigProblems(next.scoring.weights, next.scoring.thresholds),
      ...boundProblem('intervalSeconds', next.intervalSeconds, INTERVAL_BOUNDS, true),
      ...boundProblem('windowSeconds', next.windowSeconds, WINDOW_BOUNDS, true),
      ...boundProblem('minDelta', next.minDelta, MIN_DELTA_BOUNDS, false),
      ...boundProblem('idleActivityPercent', next.scoring.idleActivityPercent, { min: 0, max: 100 }, false),
    ];
    if (problems.length) throw badInput(problemArgument(problems[0]), problems.join('; '));
    this.config = next;
    for (const listener of this.listeners) listener(next);
    return next;
  }
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
const problemArgument = (problem: string): string => problem.split(/[ .]/, 1)[0];
