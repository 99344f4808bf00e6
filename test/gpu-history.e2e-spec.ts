import { gpuKeyOf } from '@kcloud/fleet-model';
import { HEADERS } from './harness/auth-fixture';
import { gql } from './harness/graphql-client';
import { isoRange, lastRange, stepPhase } from './harness/history-range';
import { useHistoryStack } from './harness/history-stack';
import { promqlDuring } from './harness/promql-during';
import { useAuthStack } from './harness/use-stack';
import { at, atLeast } from './harness/indexed';

interface Point {
  timestamp: string;
  utilizationPercent: number | null;
  memoryUsedMiB: number | null;
  temperatureCelsius: number | null;
  powerWatts: number | null;
  smClockMHz: number | null;
  memoryClockMHz: number | null;
}
interface HistoryGpu {
  id: string;
  uuid: string;
  migInstanceId: string | null;
  namespace: string | null;
  history: Point[];
}
type Result = { gpus: { edges: { node: HistoryGpu }[] } };

const POINT =
  'timestamp utilizationPercent memoryUsedMiB temperatureCelsius powerWatts smClockMHz memoryClockMHz';
// The query-cost estimator multiplies a list's per-item cost by `first`: ask for what the fleet holds.
const QUERY = `query($range: TimeRangeInput!, $metrics: [GpuHistoryMetric!]) {
  gpus(first: 50) { edges { node { id uuid migInstanceId namespace
    history(range: $range, metrics: $metrics) { ${POINT} } } } } }`;

const TICK_SECONDS = 5;

describe('Gpu.history through a real Prometheus scraping the simulator', () => {
  const history = useHistoryStack(TICK_SECONDS);
  const { stack } = history;

  it('answers every GPU at every step with the simulator values of that time, null before the data began', async () => {
    const { timestamps, range } = await history.scrapedSteps(6);
    const res = await gql<Result>(stack.url, QUERY, { range });
    expect(res.errors).toBeUndefined();
    const gpus = res.data!.gpus.edges.map((e) => e.node);
    expect(gpus).toHaveLength(stack.model.gpus().length);
    for (const gpu of gpus) {
      expect(gpu.history.map((p) => Date.parse(p.timestamp))).toEqual(timestamps);
      for (const p of gpu.history) {
        const t = Date.parse(p.timestamp);
        const phase = stepPhase(t, history.startedMs);
        // The first two buckets end before Prometheus' first scrape: a point, but no values.
        if (phase === 'before-data') {
          expect(p).toMatchObject({ utilizationPercent: null, memoryUsedMiB: null, powerWatts: null });
          continue;
        }
        if (phase === 'first-scrape') continue;
        const sim = stack.model.gpuByKey(gpu.uuid, gpu.migInstanceId ?? undefined, t)!;
        expect(p.utilizationPercent).toBe(sim.utilizationPercent ?? null);
        expect(p.memoryUsedMiB).toBe(sim.memoryUsedMiB);
        expect(p.temperatureCelsius).toBe(sim.temperatureCelsius);
        expect(p.powerWatts).toBeCloseTo(sim.powerWatts, 5);
        expect(p.smClockMHz).toBe(sim.smClockMHz);
        expect(p.memoryClockMHz).toBe(sim.memClockMHz);
      }
    }
  });

  it('reads the history of every GPU in the request with as many range queries per cluster as for one GPU', async () => {
    const rangeQueries = async (query: string, variables: Record<string, unknown>) => {
      const { result: res, queries } = await promqlDuring(stack.app, () => gql(stack.url, query, variables), [
        'query_range',
      ]);
      expect(res.errors).toBeUndefined();
      return queries.length;
    };
    const range = lastRange(60_000, 5);
    const all = await rangeQueries(QUERY, { range });
    const gpu = stack.model.gpus().find((g) => g.migInstanceId === undefined)!;
    const one = await rangeQueries(
      `query($u: ID!, $range: TimeRangeInput!) { gpu(uuid: $u) { history(range: $range) { ${POINT} } } }`,
      { u: gpu.uuid, range },
    );
    // Identity and values, one range query each per cluster and chunk (chunks grow from a one-point probe): the
    // whole fleet (two clusters) costs twice what one GPU (one cluster) costs, never a query per GPU.
    expect(all).toBe(one * stack.model.clusters().length);
    expect(all).toBeLessThan(stack.model.gpus().length);
  });

  it('fills only the metrics asked for', async () => {
    const res = await gql<Result>(stack.url, QUERY, {
      range: lastRange(10_000, TICK_SECONDS),
      metrics: ['POWER_WATTS'],
    });
    expect(res.errors).toBeUndefined();
    const last = at(at(res.data!.gpus.edges, 0, 'GPU').node.history, -1, 'history point');
    expect(last.powerWatts).not.toBeNull();
    expect(last).toMatchObject({ utilizationPercent: null, memoryUsedMiB: null, temperatureCelsius: null });
  });

  it('exports metrics of one GPU (uuid=) or one node (node=) only, and refuses them on aggregated datasets', async () => {
    const to = Math.floor(Date.now() / 1000);
    const base = `${stack.url}/api/v1/export/metrics?format=ndjson&from=${to - 20}&to=${to}&step=5`;
    const rowsOf = async (query: string) => {
      const res = await fetch(`${base}&${query}`);
      expect(res.status).toBe(200);
      return (await res.text())
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as { gpu_uuid: string; node: string });
    };
    const [gpu, other] = atLeast(
      stack.model.gpus().filter((g) => g.migInstanceId === undefined),
      2,
      'whole GPUs',
    );
    const one = await rowsOf(`uuid=${encodeURIComponent(gpu.uuid)}`);
    expect(one.length).toBeGreaterThan(0);
    expect(new Set(one.map((r) => r.gpu_uuid))).toEqual(new Set([gpu.uuid]));
    const two = await rowsOf(`uuid=${encodeURIComponent(gpu.uuid)},${encodeURIComponent(other.uuid)}`);
    expect(new Set(two.map((r) => r.gpu_uuid))).toEqual(new Set([gpu.uuid, other.uuid]));
    const node = await rowsOf(`node=${encodeURIComponent(gpu.node)}`);
    const onNode = stack.model.gpus().filter((g) => g.cluster === gpu.cluster && g.node === gpu.node);
    expect(new Set(node.map((r) => r.gpu_uuid))).toEqual(new Set(onNode.map((g) => g.uuid)));
    const refused = await fetch(`${stack.url}/api/v1/export/power?format=csv&uuid=${gpu.uuid}`);
    expect(refused.status).toBe(400);
  });

  it('refuses a range with more than 11,000 points per GPU or a reversed range with BAD_USER_INPUT', async () => {
    const to = Date.now();
    for (const range of [isoRange(to - 86_400_000, to, 1), isoRange(to, to - 60_000, 15)]) {
      const res = await gql(stack.url, QUERY, { range });
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('Gpu.history within a namespace-scoped key', () => {
  const auth = useAuthStack();
  const { stack } = auth;

  it("gives the partner its own GPUs' history with the simulator values and no other tenant's", async () => {
    const { scopes } = auth;
    const range = lastRange(10_000, 5);
    const res = await gql<Result>(stack.url, QUERY, { range }, HEADERS.partner);
    expect(res.errors).toBeUndefined();
    const gpus = res.data!.gpus.edges.map((e) => e.node);
    const own = stack.model.gpus().filter((g) => g.namespace === scopes.partnerNamespace);
    expect(gpus.map((g) => g.id).sort()).toEqual(own.map(gpuKeyOf).sort());
    for (const g of gpus) {
      const sim = stack.model.gpuByKey(g.uuid, g.migInstanceId ?? undefined)!;
      expect(g.history.at(-1)!.memoryUsedMiB).toBe(sim.memoryUsedMiB);
    }
    const other = stack.model.gpus().find((g) => g.namespace && g.namespace !== scopes.partnerNamespace)!;
    const one = await gql<{ gpu: HistoryGpu | null }>(
      stack.url,
      `query($u: ID!, $range: TimeRangeInput!) { gpu(uuid: $u) { id history(range: $range) { ${POINT} } } }`,
      { u: gpuKeyOf(other), range },
      HEADERS.partner,
    );
    expect(one.data?.gpu ?? null).toBeNull();
    expect(one.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
