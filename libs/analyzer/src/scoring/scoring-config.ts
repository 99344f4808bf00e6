/**
 * What scoring needs to know, as plain data: weights of the four inputs, status thresholds and the rules that keep a
 * GPU from being scored on bad data. Validated here so the boot config and the runtime mutation share one rule.
 */
export interface ScoreWeights {
  readonly utilization: number;
  readonly memoryCopy: number;
  readonly memoryUsed: number;
  readonly power: number;
}

/** idle < `idle` ≤ low < `low` ≤ normal < `high` ≤ high. */
export interface ScoreThresholds {
  readonly idle: number;
  readonly low: number;
  readonly high: number;
}

export interface ScoringConfig {
  readonly weights: ScoreWeights;
  readonly thresholds: ScoreThresholds;
  /**
   * A GPU whose utilisation and memory-copy averages both stay below this percentage is idle whatever memory it holds
   * (an idle notebook holding 70 % of the framebuffer otherwise scores ~15, "low"). 0 turns the rule off.
   */
  readonly idleActivityPercent: number;
  /** A device whose newest sample is older than this is not scored. */
  readonly stalenessSeconds: number;
  /** Power limit when neither the exporter nor the model table knows one. */
  readonly defaultPowerLimitWatts: number;
}

export const DEFAULT_WEIGHTS: ScoreWeights = {
  utilization: 0.5,
  memoryCopy: 0.2,
  memoryUsed: 0.2,
  power: 0.1,
};
export const DEFAULT_THRESHOLDS: ScoreThresholds = { idle: 10, low: 20, high: 70 };
const WEIGHT_SUM_TOLERANCE = 1e-9;

/** Every problem with weights and thresholds, each naming its field; empty when valid. */
export function scoringConfigProblems(weights: ScoreWeights, thresholds: ScoreThresholds): string[] {
  const problems: string[] = [];
  for (const [name, w] of Object.entries(weights))
    if (!Number.isFinite(w) || w < 0) problems.push(`weights.${name} must be a number ≥ 0 (got ${w})`);
  const sum = Object.values(weights).reduce((a, b) => a + b, 0);
  if (problems.length === 0 && Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE)
    problems.push(`weights must sum to 1 (got ${sum})`);
  const { idle, low, high } = thresholds;
  for (const [name, t] of Object.entries(thresholds))
    if (!Number.isFinite(t) || t < 0 || t > 100)
      problems.push(`thresholds.${name} must be between 0 and 100 (got ${t})`);
  if (!(idle < low && low < high))
    problems.push(`thresholds must increase: idle < low < high (got ${idle}, ${low}, ${high})`);
  return problems;
}
