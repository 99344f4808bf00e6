import { scoreDevice, type ScoringConfig } from '@kcloud/analyzer';
import type { AppConfig } from '@kcloud/common';
import type { GpuSeriesPoint } from '@kcloud/metrics-source';
import { formatPercent } from './units';

/** Whether one GPU (or MIG instance) was idle at one step of the range. */
export type IdleClassifier = (point: GpuSeriesPoint) => boolean;

/** The analyzer's scoring settings from the validated boot config (ANALYZER_*). */
export function scoringConfigOf(config: AppConfig): ScoringConfig {
  const a = config.analyzer;
  return {
    weights: a.weights,
    thresholds: a.thresholds,
    idleActivityPercent: a.idleActivityPercent,
    stalenessSeconds: a.stalenessSeconds,
    defaultPowerLimitWatts: a.defaultPowerLimitWatts,
  };
}

/**
 * The report's one definition of idle is the analyzer's: each step is scored by `scoreDevice` as a one-step window
 * (same weights, thresholds, idle-activity rule and bad-data rules) and is idle when the analyzer would say IDLE.
 * A step the analyzer could not score (unknown) is not idle: bad data must not look like waste.
 */
export function analyzerIdleClassifier(config: ScoringConfig): IdleClassifier {
  return (p) =>
    scoreDevice(
      {
        ...p,
        tenants: p.namespace || p.pod ? [{ namespace: p.namespace, pod: p.pod, container: p.container }] : [],
        // The step's own time: a range read is judged as of then, never as stale.
        observedAt: p.timestamp,
      },
      config,
      p.timestamp.getTime(),
    ).status === 'idle';
}

/** The definition in words, with the thresholds in force, for the report's first page. */
export function idleDefinition(config: ScoringConfig): string {
  const { weights: w, thresholds: t, idleActivityPercent } = config;
  const pct = (v: number) => formatPercent(v * 100);
  const activity =
    idleActivityPercent > 0
      ? ` A GPU whose utilisation and memory-copy activity both stay below ${formatPercent(idleActivityPercent)} is IDLE whatever memory it holds (ANALYZER_IDLE_ACTIVITY_PERCENT).`
      : '';
  return (
    `Idle means the analyzer's IDLE status. Its score weighs utilisation ${pct(w.utilization)}, memory copy ` +
    `${pct(w.memoryCopy)}, memory used ${pct(w.memoryUsed)} and power ${pct(w.power)}; IDLE below ${t.idle}, ` +
    `LOW below ${t.low}, NORMAL below ${t.high}, HIGH from ${t.high}.${activity} Over the range every sample step is ` +
    `judged by the same rule; a step with bad data is UNKNOWN, never idle.`
  );
}
