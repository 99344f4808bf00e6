import type { ScoreRecord } from '../scoring/records';
import { STATUSES } from '../scoring/stats';
import type { AnalysisRunInfo } from './analyzer-events';

type Run = Pick<AnalysisRunInfo, 'id' | 'durationSeconds' | 'failedClusters'>;

/**
 * The one info line a cycle logs: run id, duration, devices scored, counts by status, failed clusters, devices
 * listed unscored as unallocated. Counts cover this cycle's fresh results (a failed cluster's kept results are not
 * re-counted).
 */
export function cycleSummary(run: Run, fresh: readonly Pick<ScoreRecord, 'status'>[]): string {
  const counts = new Map<string, number>(STATUSES.map((s) => [s, 0]));
  for (const r of fresh) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const unallocated = counts.get('unallocated') ?? 0;
  counts.delete('unallocated');
  const byStatus = [...counts].map(([s, n]) => `${s}=${n}`).join(' ');
  const failed = run.failedClusters.length ? run.failedClusters.join(',') : 'none';
  return (
    `analysis run ${run.id}: ${run.durationSeconds.toFixed(3)} s, ${fresh.length - unallocated} GPU(s) scored ` +
    `(${byStatus}), failed clusters: ${failed}, unallocated (listed, not scored): ${unallocated}`
  );
}

/** How many GPU ids the low-utilisation warning names; the rest are only counted. */
export const LOW_UTILIZATION_LISTED = 10;

/**
 * The one WARN line a cycle logs for its GPUs under the low-utilisation threshold (IDLE or LOW, as
 * gpu_low_utilization_count), as seed 002 warns: the count, then the lowest-scored first few with their holders and
 * scores. Bounded whatever the fleet's size; undefined when no GPU is under the threshold.
 */
export function lowUtilizationWarning(
  run: Pick<Run, 'id'>,
  fresh: readonly Pick<ScoreRecord, 'key' | 'cluster' | 'status' | 'score' | 'tenants'>[],
  lowThreshold: number,
  listed = LOW_UTILIZATION_LISTED,
): string | undefined {
  const low = fresh
    .filter((r) => r.status === 'idle' || r.status === 'low')
    .sort((a, b) => (a.score ?? 0) - (b.score ?? 0) || a.key.localeCompare(b.key));
  if (!low.length) return undefined;
  const named = low.slice(0, listed).map((r) => {
    const holders = r.tenants.map((t) => `${t.namespace ?? ''}/${t.pod ?? ''}`).join('+') || 'no pod';
    return `${r.cluster}/${r.key} (${holders}, score ${(r.score ?? 0).toFixed(1)})`;
  });
  const more = low.length > listed ? `, and ${low.length - listed} more` : '';
  return (
    `analysis run ${run.id}: ${low.length} GPU(s) under the low-utilisation threshold ` +
    `(IDLE or LOW, score < ${lowThreshold}): ${named.join(', ')}${more}`
  );
}
