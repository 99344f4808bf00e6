import { inScope, type TenantScope } from '@kcloud/common';
import type { GpuWindowAggregate } from '@kcloud/metrics-source';
import { rowMatches, ScoreChangeIndex, type ScoreChangeFilter } from './score-change-index';
import { diffScores, passesMinDelta, type ScoreChange } from './scoring/changes';
import { attribute, type ScoreRecord, toRecord } from './scoring/records';
import type { ScoreStatus } from './scoring/scoring';

const T = new Date('2026-01-01T12:00:00Z');
const STATUSES: ScoreStatus[] = ['idle', 'low', 'normal', 'high'];
const CLUSTERS = ['east', 'west'];
const NAMESPACES = ['a', 'b', 'c'];

/** A deterministic pseudo-random source, so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function record(r: () => number, i: number, score: number): ScoreRecord {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const pods = Math.floor(r() * 3); // 0 unallocated, 2 time-sliced
  const a: GpuWindowAggregate = {
    cluster: CLUSTERS[i % 2]!,
    node: `n${i % 5}`,
    uuid: `GPU-${i}`,
    index: 0,
    model: 'm',
    migInstanceId: i % 7 === 0 ? '1' : undefined,
    tenants: Array.from({ length: pods }, (_, k) => ({ namespace: pick(NAMESPACES), pod: `p${i}-${k}` })),
    observedAt: T,
  };
  return toRecord(
    a,
    { status: STATUSES[Math.min(3, Math.floor(score / 25))]!, score, inputs: {}, sources: {} },
    600,
    T,
    undefined,
  );
}

/** What each subscriber computed before the index: a linear scan over every change. */
function naive(changes: readonly ScoreChange[], f: ScoreChangeFilter, minDelta: number, scope: TenantScope) {
  return changes
    .filter((c) => passesMinDelta(c, minDelta))
    .flatMap((c) =>
      attribute(c.record)
        .filter((row) => inScope(scope, row.cluster, row.namespace) && rowMatches(row, f))
        .map((row) => ({ change: c, row })),
    );
}

describe('ScoreChangeIndex', () => {
  it('selects exactly the rows, in the order, of a linear scan for random fleets, filters and scopes', () => {
    const r = rng(42);
    for (let round = 0; round < 30; round++) {
      const before = new Map<string, ScoreRecord>();
      const after: ScoreRecord[] = [];
      for (let i = 0; i < 60; i++) {
        const prev = record(r, i, r() * 100);
        if (r() < 0.8) before.set(prev.key, prev);
        after.push(record(r, i, r() * 100));
      }
      const changes = diffScores(before, after);
      const index = new ScoreChangeIndex(changes);
      const keys = after.map((x) => x.key);
      for (let q = 0; q < 40; q++) {
        const maybe = <T>(v: T): T | undefined => (r() < 0.5 ? v : undefined);
        const filter: ScoreChangeFilter = {
          cluster: maybe(CLUSTERS[Math.floor(r() * 2)]!),
          namespace: maybe(NAMESPACES[Math.floor(r() * 3)]!),
          status: maybe(STATUSES[Math.floor(r() * 4)]!),
          uuids: maybe([keys[Math.floor(r() * keys.length)]!, `GPU-${Math.floor(r() * 60)}`, 'GPU-none']),
          labelledClusters: maybe(CLUSTERS.filter(() => r() < 0.5)),
        };
        const scope: TenantScope = {
          clusters: maybe([CLUSTERS[Math.floor(r() * 2)]!]),
          namespaces: maybe(NAMESPACES.filter(() => r() < 0.5)),
        };
        const minDelta = 1 + Math.floor(r() * 30);
        expect(index.select(filter, minDelta, scope)).toEqual(naive(changes, filter, minDelta, scope));
      }
    }
  });

  it('lets through only rows of the clusters the labels selected; none when they selected none', () => {
    const r = rng(7);
    const changes = diffScores(
      new Map(),
      Array.from({ length: 40 }, (_, i) => record(r, i, r() * 100)),
    );
    const index = new ScoreChangeIndex(changes);
    const clustersOf = (f: ScoreChangeFilter) => new Set(index.select(f, 1, {}).map((c) => c.row.cluster));
    expect(clustersOf({})).toEqual(new Set(CLUSTERS));
    expect(clustersOf({ labelledClusters: [CLUSTERS[1]!] })).toEqual(new Set([CLUSTERS[1]]));
    expect(index.select({ labelledClusters: [] }, 1, {})).toEqual([]);
    expect(index.select({ cluster: CLUSTERS[0]!, labelledClusters: [CLUSTERS[1]!] }, 1, {})).toEqual([]);
    expect(index.select({ labelledClusters: [CLUSTERS[1]!] }, 1, { clusters: [CLUSTERS[0]!] })).toEqual([]);
  });
});
