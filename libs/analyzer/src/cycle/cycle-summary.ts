import type { GpuWindowAggregate } from '@kcloud/metrics-source';
import type { ScoreRecord } from '../scoring/records';
import type { AnalysisRunInfo } from './analyzer-events';

/**
 * With ANALYZER_ALLOCATED_ONLY the analyzer scores only devices some pod holds (seed 002's `{pod!=""}`), so its
 * totals match a scheduler's view; the others are skipped: no result, not in stats, counted in the cycle's summary.
 */
export function allocatedOnly(
  items: readonly GpuWindowAggregate[],
  enabled: boolean,
): { scored: GpuWindowAggregate[]; skipped: number } {
  if (!enabled) return { scored: [...items], skipped: 0 };
  const scored = items.filter((a) => a.tenants.length > 0);
  return { scored, skipped: items.length - scored.length };
}

const ORDER = ['idle', 'low', 'normal', 'high', 'unknown'] as const;

/**
 * The one info line a cycle logs: run id, duration, devices scored, counts by status, failed clusters, devices
 * skipped as unallocated. Counts cover this cycle's fresh results (a failed cluster's kept results are not re-counted).
 */
export function cycleSummary(
  run: Pick<AnalysisRunInfo, 'id' | 'durationSeconds' | 'failedClusters'>,
  fresh: readonly Pick<ScoreRecord, 'status'>[],
  skippedUnallocated: number,
): string {
  const counts = new Map<string, number>(ORDER.map((s) => [s, 0]));
  for (const r of fresh) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const byStatus = [...counts].map(([s, n]) => `${s}=${n}`).join(' ');
  const failed = run.failedClusters.length ? run.failedClusters.join(',') : 'none';
  return (
    `analysis run ${run.id}: ${run.durationSeconds.toFixed(3)} s, ${fresh.length} GPU(s) scored (${byStatus}), ` +
    `failed clusters: ${failed}, skipped unallocated: ${skippedUnallocated}`
  );
}
