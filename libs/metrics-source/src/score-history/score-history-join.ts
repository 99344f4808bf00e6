import type { RangeSeries } from '@kcloud/prometheus';
import type { ScoreAtStep } from './score-history.port';

/**
 * The analyzer's per-GPU score as it exports it on the API's `/metrics` (libs/analyzer/src/export: name and labels
 * gpu_id, cluster, hostname, pod, namespace, status).
 */
export const SCORE_SERIES = 'gpu_utilization_score';

/**
 * Joins range-query series of SCORE_SERIES to GPUs: gpu_id (the gpuKey: UUID, or UUID/migInstanceId) → step
 * timestamp (ms) → the score and the status label of the series that had a sample there. A status change starts a new
 * series (its label changed) and Prometheus ends the old one with a staleness marker, so one step normally has one;
 * if two overlap, the first kept wins. Non-finite values are no score.
 */
export function scoresByKey(series: readonly RangeSeries[]): Map<string, Map<number, ScoreAtStep>> {
  const out = new Map<string, Map<number, ScoreAtStep>>();
  for (const s of series) {
    const key = s.labels.gpu_id;
    const status = s.labels.status;
    if (!key || !status) continue;
    let byStep = out.get(key);
    if (!byStep) out.set(key, (byStep = new Map()));
    for (const p of s.points)
      if (Number.isFinite(p.value) && !byStep.has(p.timestampMs))
        byStep.set(p.timestampMs, { score: p.value, status });
  }
  return out;
}
