import type { TenantScope } from '@kcloud/common';
import type { AnalysisRunInfo } from './cycle/analyzer-events';
import type { AnalysisRun } from './models/analysis-run.model';
import { rowsInScope, type ScoreRecord } from './scoring/records';

/** What a scoped key reads instead of a failed cycle's raw error (which may quote any cluster, query or label). */
export const SCOPED_RUN_ERROR = 'the analysis cycle failed; ask an administrator for the details';

const restricted = (scope: TenantScope): boolean => !!(scope.clusters?.length || scope.namespaces?.length);

/**
 * One analysis run as the caller may see it. The run itself is fleet-wide; a scoped key gets counts of its own
 * devices only (scored in this run / changed by it), the failed clusters it may see, and no raw error text.
 * `records`: the results the run produced (stale ones, kept from failed clusters, and unallocated ones listed unscored
 * are not counted as scored).
 */
export function runForScope(
  run: AnalysisRunInfo,
  records: readonly ScoreRecord[],
  scope: TenantScope,
  joined = false,
): AnalysisRun {
  const whole = { ...run, failedClusters: [...run.failedClusters], joined };
  if (!restricted(scope)) return whole;
  const visible = new Set(rowsInScope(records, scope).map((r) => r.key));
  const scored = records.filter((r) => !r.stale && r.status !== 'unallocated' && visible.has(r.key)).length;
  const changed = (run.changedKeys ?? []).filter((k) => visible.has(k)).length;
  return {
    ...whole,
    gpuCount: scored,
    changedCount: changed,
    failedClusters: run.failedClusters.filter((c) => !scope.clusters?.length || scope.clusters.includes(c)),
    error: run.error === undefined ? undefined : SCOPED_RUN_ERROR,
  };
}
