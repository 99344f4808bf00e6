import { inScope, type TenantScope } from '@kcloud/common';
import type { ScoreRecord, ScoreRow } from './records';
import type { ScoreStatus } from './scoring';

export const STATUSES: readonly ScoreStatus[] = ['idle', 'low', 'normal', 'high', 'unknown', 'unallocated'];

export interface ScoreAverage {
  readonly count: number;
  /** Average over the scored devices (unknown ones have no score); absent when none is scored. */
  readonly averageScore?: number;
}

export interface NamespaceStats extends ScoreAverage {
  readonly namespace: string;
  /** Devices of the namespace that are idle or low. */
  readonly lowCount: number;
}

export interface ClusterStats extends ScoreAverage {
  readonly cluster: string;
  readonly lowCount: number;
  readonly stale: boolean;
}

export interface ScoreStats extends ScoreAverage {
  readonly total: number;
  readonly minScore?: number;
  readonly maxScore?: number;
  readonly byStatus: Readonly<Record<ScoreStatus, number>>;
  readonly byNamespace: readonly NamespaceStats[];
  readonly byCluster: readonly ClusterStats[];
}

/** What the statistics read of an attributed row (a ScoreRow is one; `statsRows` makes only this). */
export type StatsRow = Pick<ScoreRow, 'key' | 'cluster' | 'status' | 'score' | 'stale' | 'namespace'>;

const isLow = (r: StatsRow): boolean => r.status === 'idle' || r.status === 'low';

/**
 * The attributed rows in scope as the statistics read them (`rowsInScope`'s rows, six fields each): at 50,000 GPUs a
 * cycle's statistics made 50,000 full row copies for a moment.
 */
export function statsRows(records: readonly ScoreRecord[], scope: TenantScope): StatsRow[] {
  const rows: StatsRow[] = [];
  for (const r of records) {
    const { key, cluster, status, score, stale } = r;
    if (r.tenants.length === 0) {
      if (inScope(scope, cluster, undefined))
        rows.push({ key, cluster, status, score, stale, namespace: undefined });
      continue;
    }
    for (const t of r.tenants)
      if (inScope(scope, cluster, t.namespace))
        rows.push({ key, cluster, status, score, stale, namespace: t.namespace });
  }
  return rows;
}

/**
 * Fleet statistics from attributed rows. Devices are counted once (a time-sliced GPU is one GPU); per namespace a
 * shared device counts in each namespace holding it. Unallocated devices have no namespace entry. Devices listed as
 * `unallocated` (ANALYZER_ALLOCATED_ONLY) are counted in `byStatus` only: totals and averages leave them out, as
 * seed 002's `{pod!=""}` does.
 */
export function computeStats(rows: readonly StatsRow[]): ScoreStats {
  const listed = [...new Map(rows.map((r) => [r.key, r])).values()];
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<ScoreStatus, number>;
  for (const d of listed) byStatus[d.status]++;
  const devices = listed.filter((d) => d.status !== 'unallocated');
  const scores = devices.flatMap((d) => (d.score === undefined ? [] : [d.score]));

  const namespaces = groupBy(
    rows.filter((r) => r.namespace !== undefined),
    (r) => r.namespace!,
  );
  const clusters = groupBy(devices, (d) => d.cluster);
  return {
    total: devices.length,
    count: devices.length,
    averageScore: average(scores),
    // Not Math.min(...scores): spreading a fleet's scores as arguments throws RangeError past ~120k on Node 20.
    minScore: scores.length ? scores.reduce((a, b) => (b < a ? b : a)) : undefined,
    maxScore: scores.length ? scores.reduce((a, b) => (b > a ? b : a)) : undefined,
    byStatus,
    byNamespace: [...namespaces].map(([namespace, list]) => {
      const unique = [...new Map(list.map((r) => [r.key, r])).values()];
      return { namespace, ...averageOf(unique), lowCount: unique.filter(isLow).length };
    }),
    byCluster: [...clusters].map(([cluster, list]) => ({
      cluster,
      ...averageOf(list),
      lowCount: list.filter(isLow).length,
      stale: list.some((d) => d.stale),
    })),
  };
}

function averageOf(list: readonly StatsRow[]): ScoreAverage {
  return {
    count: list.length,
    averageScore: average(list.flatMap((d) => (d.score === undefined ? [] : [d.score]))),
  };
}

function average(values: readonly number[]): number | undefined {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
}

/** Groups in key order, so listings and exported series come out sorted. */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}
