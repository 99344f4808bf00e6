import { becameUnderused, diffScores, passesMinDelta, type ScoreChange } from './changes';
import { attribute, rowsInScope, type ScoreRecord, toRecord } from './records';
import type { DeviceScore, ScoreStatus } from './scoring';
import { computeStats, statsRows } from './stats';
import { RECORD_AT, testAggregate, testRecord } from './testing/score-records';

const T1 = RECORD_AT;
const T2 = new Date('2026-01-01T12:01:00Z');

const aggregate = testAggregate;
const result = (status: ScoreStatus, score?: number): DeviceScore => ({
  status,
  score,
  inputs: {},
  sources: {},
});
const record = testRecord;

describe('records', () => {
  it('keeps statusSince while the status holds and resets it on a change', () => {
    const first = record('GPU-a', 'idle', 5);
    const same = toRecord(aggregate('GPU-a', []), result('idle', 6), 600, T2, first);
    const changed = toRecord(aggregate('GPU-a', []), result('low', 12), 600, T2, first);
    expect(same.statusSince).toEqual(T1);
    expect(changed.statusSince).toEqual(T2);
  });

  it('attributes a time-sliced GPU once per pod, an unallocated one once without a pod', () => {
    const shared = record('GPU-a', 'low', 15, [
      { namespace: 'a', pod: 'p1' },
      { namespace: 'b', pod: 'p2' },
    ]);
    expect(attribute(shared).map((r) => [r.namespace, r.pod, r.sharedWith, r.score])).toEqual([
      ['a', 'p1', 2, 15],
      ['b', 'p2', 2, 15],
    ]);
    expect(attribute(record('GPU-b', 'idle', 1)).map((r) => [r.namespace, r.sharedWith])).toEqual([
      [undefined, 0],
    ]);
  });

  it('shows a namespace-scoped caller only its own pods of a shared GPU, never unallocated ones', () => {
    const shared = record('GPU-a', 'low', 15, [
      { namespace: 'a', pod: 'p1' },
      { namespace: 'b', pod: 'p2' },
    ]);
    const free = record('GPU-b', 'idle', 1);
    expect(rowsInScope([shared, free], { namespaces: ['b'] }).map((r) => r.pod)).toEqual(['p2']);
    expect(rowsInScope([shared, free], { clusters: ['other'] })).toEqual([]);
  });
});

describe('computeStats', () => {
  it('counts a time-sliced GPU once in totals and in each namespace that holds it; unknown GPUs have no score', () => {
    const rows = rowsInScope(
      [
        record('GPU-a', 'low', 15, [
          { namespace: 'a', pod: 'p1' },
          { namespace: 'b', pod: 'p2' },
        ]),
        record('GPU-b', 'high', 85, [{ namespace: 'a', pod: 'p3' }]),
        record('GPU-c', 'unknown', undefined, [], { cluster: 'c2' }),
        record('GPU-d', 'idle', 2, [], { cluster: 'c2' }),
      ],
      {},
    );
    const s = computeStats(rows);
    expect(s.total).toBe(4);
    expect(s.averageScore).toBeCloseTo((15 + 85 + 2) / 3, 9);
    expect([s.minScore, s.maxScore]).toEqual([2, 85]);
    expect(s.byStatus).toEqual({ idle: 1, low: 1, normal: 0, high: 1, unknown: 1, unallocated: 0 });
    expect(s.byNamespace).toEqual([
      { namespace: 'a', count: 2, averageScore: 50, lowCount: 1 },
      { namespace: 'b', count: 1, averageScore: 15, lowCount: 1 },
    ]);
    expect(s.byCluster.map((c) => [c.cluster, c.count, c.averageScore, c.lowCount])).toEqual([
      ['c1', 2, 50, 1],
      ['c2', 2, 2, 1],
    ]);
  });

  it('leaves unallocated devices out of totals, averages and clusters, counting them only by status', () => {
    const rows = rowsInScope(
      [
        record('GPU-a', 'low', 15, [{ namespace: 'a', pod: 'p1' }]),
        record('GPU-free', 'unallocated', undefined, []),
        record('GPU-free2', 'unallocated', undefined, [], { cluster: 'c2' }),
      ],
      {},
    );
    const s = computeStats(rows);
    expect([s.total, s.count, s.averageScore]).toEqual([1, 1, 15]);
    expect(s.byStatus.unallocated).toBe(2);
    expect(s.byCluster.map((c) => [c.cluster, c.count])).toEqual([['c1', 1]]);
  });

  it('handles a fleet larger than a call may take as arguments (300,000 GPUs)', () => {
    const rows = rowsInScope(
      Array.from({ length: 300_000 }, (_, i) => record(`GPU-${i}`, 'normal', 20 + (i % 50))),
      {},
    );
    const s = computeStats(rows);
    expect([s.total, s.minScore, s.maxScore]).toEqual([300_000, 20, 69]);
  });

  it('has no average for an empty or all-unknown fleet', () => {
    expect(computeStats([]).averageScore).toBeUndefined();
  });

  it('gives the same statistics from statsRows as from the full attributed rows, in every scope', () => {
    const records = [
      record('GPU-a', 'low', 15, [
        { namespace: 'a', pod: 'p1' },
        { namespace: 'b', pod: 'p2' },
        { pod: 'no-namespace' },
      ]),
      { ...record('GPU-b', 'high', 85, [{ namespace: 'a', pod: 'p3' }]), stale: true },
      record('GPU-c', 'unknown', undefined, [], { cluster: 'c2' }),
      record('GPU-d', 'idle', 2, [{ namespace: 'b', pod: 'p4' }], { cluster: 'c2' }),
      record('GPU-e', 'unallocated', undefined, []),
    ];
    for (const scope of [
      {},
      { clusters: ['c2'] },
      { namespaces: ['a'] },
      { clusters: ['c1'], namespaces: ['b'] },
    ]) {
      const light = statsRows(records, scope);
      expect(light).toEqual(
        rowsInScope(records, scope).map(({ key, cluster, status, score, stale, namespace }) => ({
          key,
          cluster,
          status,
          score,
          stale,
          namespace,
        })),
      );
      expect(computeStats(light)).toEqual(computeStats(rowsInScope(records, scope)));
    }
  });
});

describe('diffScores', () => {
  const before = new Map<string, ScoreRecord>([
    ['GPU-a', record('GPU-a', 'high', 80)],
    ['GPU-b', record('GPU-b', 'normal', 50)],
    ['GPU-c', record('GPU-c', 'normal', 50)],
  ]);

  it('reports new GPUs, status changes and score moves of at least the publish delta, and skips stale ones', () => {
    const now = [
      record('GPU-a', 'idle', 5),
      record('GPU-b', 'normal', 50.5),
      record('GPU-c', 'normal', 57),
      record('GPU-d', 'low', 12),
      { ...record('GPU-e', 'idle', 1), stale: true },
    ];
    expect(
      diffScores(before, now).map((c) => [c.record.key, c.kind, c.previousStatus, c.previousScore]),
    ).toEqual([
      ['GPU-a', 'STATUS_CHANGED', 'high', 80],
      ['GPU-c', 'SCORE_MOVED', 'normal', 50],
      ['GPU-d', 'APPEARED', undefined, undefined],
    ]);
  });

  it('lets each subscriber apply its own minDelta to score moves, never to status changes', () => {
    const [statusChange, move] = diffScores(before, [
      record('GPU-a', 'low', 15),
      record('GPU-c', 'normal', 57),
    ]) as [ScoreChange, ScoreChange];
    expect([passesMinDelta(move, 5), passesMinDelta(move, 10)]).toEqual([true, false]);
    expect(passesMinDelta(statusChange, 100)).toBe(true);
  });

  it('triggers webhooks only on becoming idle or low', () => {
    const changes = diffScores(before, [
      record('GPU-a', 'low', 15),
      record('GPU-b', 'high', 75),
      record('GPU-d', 'idle', 1),
    ]);
    expect(changes.filter(becameUnderused).map((c) => c.record.key)).toEqual(['GPU-a', 'GPU-d']);
    const stillLow = diffScores(new Map([['GPU-a', record('GPU-a', 'idle', 5)]]), [
      record('GPU-a', 'low', 15),
    ]);
    expect(stillLow.filter(becameUnderused)).toEqual([]);
  });
});
