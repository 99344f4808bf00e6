import { DataVersions } from '@kcloud/cache';
import { type Connection, inScope, paginate, pageOf, type TenantScope } from '@kcloud/common';
import { AnalyzerService } from './analyzer.service';
import type { AnalysisCycle } from './cycle/analysis-cycle.service';
import { ScoreStore } from './cycle/score-store';
import type { AnalyzerConfigService } from './analyzer-config.service';
import type { Clock } from '@kcloud/common';
import { GpuScoreOrderBy } from './dto/gpu-scores.args';
import { ScoreReadModel, type ScoreQuery } from './score-read-model';
import { servedGpuScore, toGpuScore } from './gpu-score-view';
import { attribute, rowsInScope, type ScoreRecord, type ScoreRow } from './scoring/records';
import type { ScoreStatus } from './scoring/scoring';
import { computeStats } from './scoring/stats';

// --- The implementation before the read model, kept here as the definition of the order and of the filters.
const naiveByDevice = (a: ScoreRow, b: ScoreRow): number =>
  a.cluster.localeCompare(b.cluster) ||
  a.node.localeCompare(b.node) ||
  a.index - b.index ||
  (a.migInstanceId ?? '').localeCompare(b.migInstanceId ?? '', undefined, { numeric: true }) ||
  (a.pod ?? '').localeCompare(b.pod ?? '');
const naiveByScore = (dir: 1 | -1) => (a: ScoreRow, b: ScoreRow) =>
  a.score === undefined || b.score === undefined
    ? Number(a.score === undefined) - Number(b.score === undefined) || naiveByDevice(a, b)
    : dir * (a.score - b.score) || naiveByDevice(a, b);
const naiveBySince = (dir: 1 | -1) => (a: ScoreRow, b: ScoreRow) =>
  dir * (a.statusSince.getTime() - b.statusSince.getTime()) || naiveByDevice(a, b);
const NAIVE_ORDER: Record<GpuScoreOrderBy, (a: ScoreRow, b: ScoreRow) => number> = {
  [GpuScoreOrderBy.DEVICE]: naiveByDevice,
  [GpuScoreOrderBy.SCORE_ASC]: naiveByScore(1),
  [GpuScoreOrderBy.SCORE_DESC]: naiveByScore(-1),
  [GpuScoreOrderBy.STATUS_SINCE_ASC]: naiveBySince(1),
  [GpuScoreOrderBy.STATUS_SINCE_DESC]: naiveBySince(-1),
};
const naiveMatches = (r: ScoreRow, q: ScoreQuery): boolean =>
  (q.cluster === undefined || r.cluster === q.cluster) &&
  (q.labelledClusters === undefined || q.labelledClusters.includes(r.cluster)) &&
  (q.namespace === undefined || r.namespace === q.namespace) &&
  (q.node === undefined || r.node === q.node) &&
  (q.status === undefined || r.status === q.status) &&
  (q.minScore === undefined || (r.score !== undefined && r.score >= q.minScore)) &&
  (q.maxScore === undefined || (r.score !== undefined && r.score <= q.maxScore));
const naiveResults = (
  records: readonly ScoreRecord[],
  q: ScoreQuery,
  scope: TenantScope,
  order: GpuScoreOrderBy,
) =>
  records
    .flatMap(attribute)
    .filter((r) => inScope(scope, r.cluster, r.namespace))
    .filter((r) => naiveMatches(r, q))
    .sort(NAIVE_ORDER[order]);

// --- A random fleet whose names exercise the collation: case, accents, digits, hyphens, empty MIG ids and pods.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const CLUSTERS = ['east', 'East', 'west-2', 'west-10', 'ést', 'a_b'];
const NODES = ['node-1', 'node-10', 'node-2', 'Node-3', 'gpu_a', 'gpu-a', 'ñode'];
const NAMESPACES = ['ml', 'ML', 'team-a', 'team-b', 'research'];
const PODS = ['train-0', 'train-10', 'train-2', 'Infer', 'ínfer-x'];
const STATUSES: ScoreStatus[] = ['idle', 'low', 'normal', 'high', 'unknown'];

function randomFleet(seed: number, devices: number): ScoreRecord[] {
  const r = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const records: ScoreRecord[] = [];
  for (let i = 0; i < devices; i++) {
    const status = pick(STATUSES);
    const mig = r() < 0.3 ? String(1 + Math.floor(r() * 12)) : undefined;
    const uuid = `GPU-${Math.floor(r() * devices * 0.7)}`;
    const tenants = Array.from({ length: Math.floor(r() * 3.5) }, () => ({
      namespace: pick(NAMESPACES),
      pod: pick(PODS) + (r() < 0.5 ? `-${Math.floor(r() * 20)}` : ''),
      container: 'main',
    }));
    records.push({
      key: mig ? `${uuid}/${mig}#${i}` : `${uuid}#${i}`,
      cluster: pick(CLUSTERS),
      node: pick(NODES),
      uuid,
      index: Math.floor(r() * 4),
      model: 'A100',
      migInstanceId: mig,
      tenants,
      // Ties on score and on statusSince are frequent on purpose: the device order must break them the same way.
      score: status === 'unknown' ? undefined : Math.floor(r() * 20) * 5,
      status,
      inputs: {},
      sources: {},
      windowSeconds: 600,
      computedAt: new Date(1_700_000_000_000),
      observedAt: new Date(1_700_000_000_000),
      statusSince: new Date(1_700_000_000_000 - Math.floor(r() * 10) * 60_000),
      stale: false,
    } as unknown as ScoreRecord);
  }
  return records;
}

const SCOPES: TenantScope[] = [
  {},
  { clusters: ['east'] },
  { namespaces: ['ml', 'team-a'] },
  { clusters: ['west-2', 'ést'], namespaces: ['research'] },
];
const QUERIES: ScoreQuery[] = [
  {},
  { cluster: 'East' },
  { cluster: 'west-2' },
  { namespace: 'ml' },
  { namespace: 'research' },
  { node: 'node-10' },
  { status: 'idle' },
  { status: 'unknown' },
  { minScore: 20 },
  { maxScore: 45 },
  { minScore: 10, maxScore: 60, namespace: 'team-a' },
  { cluster: 'east', node: 'gpu-a', status: 'high' },
  // Cluster labels resolved to names: only those clusters; none matched means no rows (never every row).
  { labelledClusters: ['west-2', 'East'] },
  { labelledClusters: [] },
  { labelledClusters: ['east', 'ést'], namespace: 'research' },
  { cluster: 'west-2', labelledClusters: ['west-2', 'a_b'] },
  { cluster: 'East', labelledClusters: ['west-2'] },
];
const ORDERS = Object.values(GpuScoreOrderBy);
const ids = (rows: readonly ScoreRow[]) => rows.map((r) => `${r.key}|${r.namespace ?? ''}|${r.pod ?? ''}`);

describe('ScoreReadModel', () => {
  for (const seed of [1, 7, 42]) {
    const records = randomFleet(seed, 600);
    const model = new ScoreReadModel(1, records);

    it(`lists exactly the naive filter + sort for every orderBy, filter and scope (fleet ${seed})`, () => {
      for (const scope of SCOPES)
        for (const query of QUERIES)
          for (const order of ORDERS)
            expect(ids(model.rows(query, scope, order))).toEqual(
              ids(naiveResults(records, query, scope, order)),
            );
    });

    it(`pages with cursors across pages exactly as paginate over the naive list (fleet ${seed})`, () => {
      for (const scope of SCOPES)
        for (const query of [{}, { namespace: 'ml' }, { minScore: 25 }] as ScoreQuery[])
          for (const order of ORDERS) {
            const naive = naiveResults(records, query, scope, order);
            const served = model.rows(query, scope, order);
            let after: string | null = null;
            for (let page = 0; page < 50; page++) {
              const expected = paginate(ids(naive), 37, after);
              const actual: Connection<string> = pageOf(served, 37, after, (r) => ids([r])[0]!);
              expect(actual).toEqual(expected);
              if (!actual.pageInfo.hasNextPage) break;
              after = actual.pageInfo.endCursor;
            }
          }
    });

    it(`keeps the lowest-first listing below a threshold and the statistics of each scope (fleet ${seed})`, () => {
      for (const scope of SCOPES) {
        const naiveLow = naiveResults(records, {}, scope, GpuScoreOrderBy.SCORE_ASC).filter(
          (r) => r.score !== undefined && r.score < 35,
        );
        expect(ids(model.below(35, scope))).toEqual(ids(naiveLow));
        expect(model.statsOf(scope)).toEqual(
          computeStats(records.flatMap(attribute).filter((r) => inScope(scope, r.cluster, r.namespace))),
        );
      }
    });

    it(`finds a GPU's row for a pod exactly as rowsInScope + find over its record (fleet ${seed})`, () => {
      for (const scope of SCOPES)
        for (const record of records)
          for (const pod of [...record.tenants.map((t) => t.pod), undefined, 'no-such-pod']) {
            const rows = rowsInScope([record], scope);
            const naive = rows.find((r) => r.pod === pod) ?? rows[0] ?? null;
            const found = model.rowFor(record.key, pod, scope);
            expect(found && ids([found])).toEqual(naive && ids([naive]));
            if (naive) expect(found).toEqual(naive);
          }
      expect(model.rowFor('GPU-unknown', undefined, {})).toBeNull();
    });
  }
});

describe('AnalyzerService read model', () => {
  const records = randomFleet(3, 200);
  const make = () => {
    const store = new ScoreStore();
    store.install(records);
    const versions = new DataVersions();
    const config = {
      current: () => ({ scoring: { thresholds: { low: 20 } } }),
      version: () => 0,
    } as unknown as AnalyzerConfigService;
    const clock = { nowMs: () => 0 } as unknown as Clock;
    return {
      store,
      versions,
      service: new AnalyzerService(store, {} as AnalysisCycle, config, clock, versions),
    };
  };

  it('serves repeated requests from one slice built once per installed cycle', () => {
    const { service } = make();
    const first = service.results({ namespace: 'ml' }, {}, GpuScoreOrderBy.SCORE_ASC);
    expect(service.results({ namespace: 'ml' }, {}, GpuScoreOrderBy.SCORE_ASC)).toBe(first);
    expect(service.stats({ namespaces: ['ml'] })).toBe(service.stats({ namespaces: ['ml'] }));
  });

  it('answers Gpu.score rows from the installed cycle: a device the new cycle dropped has none', () => {
    const { store, service } = make();
    const dropped = records[150]!;
    expect(service.resultForGpu(dropped.key, dropped.tenants[0]?.pod)?.key).toBe(dropped.key);
    store.replace(records.slice(0, 10), new Set());
    expect(service.resultForGpu(dropped.key, dropped.tenants[0]?.pod)).toBeNull();
    expect(service.resultForGpu(records[3]!.key, undefined)?.key).toBe(records[3]!.key);
  });

  it('rebuilds after the store installs new results, and changes the token cached answers are keyed by', () => {
    const { store, service, versions } = make();
    const before = service.results({}, {}, GpuScoreOrderBy.DEVICE);
    const version = service.version();
    const token = versions.token();
    store.replace(records.slice(0, 10), new Set());
    expect(service.version()).not.toBe(version);
    expect(versions.token()).not.toBe(token);
    const after = service.results({}, {}, GpuScoreOrderBy.DEVICE);
    expect(after).not.toBe(before);
    expect(ids(after)).toEqual(ids(naiveResults(records.slice(0, 10), {}, {}, GpuScoreOrderBy.DEVICE)));
  });
});

describe('servedGpuScore', () => {
  const rows = randomFleet(5, 50).flatMap(attribute);
  const fields = (o: object): Record<string, unknown> => {
    const all: Record<string, unknown> = {};
    for (const key in o) all[key] = (o as Record<string, unknown>)[key];
    return all;
  };

  it('reads every field exactly as toGpuScore, the durations as of each call', () => {
    for (const [i, row] of rows.entries())
      for (const now of [1_700_000_000_000 + i * 1_000, 1_700_000_900_000 + i]) {
        const served = fields(servedGpuScore(row, now));
        expect(served).toEqual(toGpuScore(row, now));
        expect(Object.keys(served).sort()).toEqual(Object.keys(toGpuScore(row, now)).sort());
      }
  });
});
