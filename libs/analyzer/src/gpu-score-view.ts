import { activityFields } from './activity/activity-view';
import type { GpuScoreStats } from './models/gpu-score-stats.model';
import type { GpuScoreStatus } from './models/gpu-score-status.enum';
import type { GpuScore } from './models/gpu-score.model';
import type { ScoreRow } from './scoring/records';
import { STATUSES, type ScoreStats } from './scoring/stats';

const secondsSince = (at: Date, nowMs: number): number => Math.max(0, (nowMs - at.getTime()) / 1000);

/** Row → GraphQL shape; durations as of `nowMs`. Statuses are the enum's values already ('idle', …). */
export function toGpuScore(r: ScoreRow, nowMs: number): GpuScore {
  return {
    id: r.sharedWith > 1 ? `${r.key}#${r.namespace ?? ''}/${r.pod ?? ''}` : r.key,
    gpuId: r.key,
    uuid: r.uuid,
    migInstanceId: r.migInstanceId,
    migProfile: r.migProfile,
    cluster: r.cluster,
    node: r.node,
    model: r.model,
    namespace: r.namespace,
    pod: r.pod,
    container: r.container,
    sharedWith: r.sharedWith,
    score: r.score,
    status: r.status as GpuScoreStatus,
    reason: r.reason,
    statusSince: r.statusSince,
    statusDurationSeconds: secondsSince(r.statusSince, nowMs),
    windowSeconds: r.windowSeconds,
    computedAt: r.computedAt,
    observedAt: r.observedAt,
    stale: r.stale,
    ageSeconds: secondsSince(r.computedAt, nowMs),
    inputs: {
      ...r.inputs,
      utilizationSource: r.sources.utilization,
      memoryCopySource: r.sources.memoryCopy,
      powerSource: r.sources.power,
      powerLimitSource: r.sources.powerLimit,
      powerLimitWatts: r.powerLimitWatts,
    },
    memoryUsedMiB: r.memoryUsedMiB,
    powerWatts: r.powerWatts,
    smClockMHz: r.smClockMHz,
    ...activityFields(r.activity),
  };
}

/** The row's time-independent fields, mapped once per row (rows are immutable and live until the next cycle). */
const mappedRows = new WeakMap<ScoreRow, GpuScore>();

/**
 * `toGpuScore` for rows served again and again (a listed page, `Gpu.score`): the row's fields are mapped on its first
 * read (the nested inputs, activity and dates built once), each answer a flat copy of that mapping with the durations
 * as of `nowMs` — one shape for every row, so graphql-js reads its fields as cheaply as before, without the per-row
 * building. (Not `Object.create(mapped)`: a prototype per row made every field read megamorphic.)
 */
export function servedGpuScore(r: ScoreRow, nowMs: number): GpuScore {
  let mapped = mappedRows.get(r);
  if (!mapped) {
    mapped = toGpuScore(r, nowMs);
    mappedRows.set(r, mapped);
  }
  return {
    ...mapped,
    statusDurationSeconds: secondsSince(r.statusSince, nowMs),
    ageSeconds: secondsSince(r.computedAt, nowMs),
  };
}

export function toGpuScoreStats(s: ScoreStats, computedAt: Date | undefined): GpuScoreStats {
  return {
    total: s.total,
    averageScore: s.averageScore,
    minScore: s.minScore,
    maxScore: s.maxScore,
    lowUtilizationCount: s.byStatus.idle + s.byStatus.low,
    idleCount: s.byStatus.idle,
    byStatus: STATUSES.map((status) => ({ status: status as GpuScoreStatus, count: s.byStatus[status] })),
    byNamespace: s.byNamespace.map((n) => ({ ...n })),
    byCluster: s.byCluster.map((c) => ({ ...c })),
    computedAt,
  };
}
