import { gpuKeyOf } from '@kcloud/fleet-model';
import { HEADERS } from './harness/auth-fixture';
import { gql } from './harness/graphql-client';
import { isoRange, waitForScrapesPast } from './harness/history-range';
import { promqlDuring } from './harness/promql-during';
import { useAuthStack } from './harness/use-stack';

interface Series {
  kind: 'GPU' | 'NPU' | 'NODE';
  id: string;
  cluster: string;
  node: string;
  uuid: string | null;
  namespace: string | null;
  gpuPoints: { timestamp: string; memoryUsedMiB: number | null; temperatureCelsius: number | null }[] | null;
  npuPoints: { timestamp: string }[] | null;
  nodePoints: { timestamp: string }[] | null;
}
interface Result {
  deviceHistory: { totalCount: number; edges: { node: Series }[]; pageInfo: { hasNextPage: boolean } };
}

const QUERY = `query($filter: DeviceHistoryFilterInput, $range: TimeRangeInput!, $first: Int, $after: String) {
  deviceHistory(filter: $filter, range: $range, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { kind id cluster node uuid namespace
      gpuPoints { timestamp memoryUsedMiB temperatureCelsius } npuPoints { timestamp } nodePoints { timestamp } } } } }`;

// The auth stack's simulator ticks once an hour: a GPU's readings are the model's for the whole range.
describe('deviceHistory through a real Prometheus scraping the simulator', () => {
  const auth = useAuthStack();
  const { stack } = auth;
  let range: ReturnType<typeof isoRange>;

  beforeAll(async () => {
    // Three steps after the stack's first scrapes, waited for.
    const from = Date.now() + 3000;
    range = isoRange(from, from + 10_000, 5);
    await waitForScrapesPast(from + 10_000);
  });

  it('answers every GPU of the fleet in one page, each step with the simulator values, in as many range queries as one GPU costs per cluster', async () => {
    const { result: res, queries } = await promqlDuring(
      stack.app,
      () => gql<Result>(stack.url, QUERY, { filter: { kinds: ['GPU'] }, range, first: 200 }, HEADERS.admin),
      ['query_range'],
    );
    expect(res.errors).toBeUndefined();
    const series = res.data!.deviceHistory.edges.map((e) => e.node);
    expect(series.map((s) => s.id).sort()).toEqual(stack.model.gpus().map(gpuKeyOf).sort());
    for (const s of series) {
      expect(s.gpuPoints).toHaveLength(3);
      expect(s.npuPoints).toBeNull();
      const gpu = stack.model.gpus().find((g) => gpuKeyOf(g) === s.id)!;
      for (const p of s.gpuPoints!) {
        const sim = stack.model.gpuByKey(gpu.uuid, gpu.migInstanceId, Date.parse(p.timestamp))!;
        expect(p.memoryUsedMiB).toBe(sim.memoryUsedMiB);
        expect(p.temperatureCelsius).toBe(sim.temperatureCelsius);
      }
    }
    const one = stack.model.gpus().find((g) => g.migInstanceId === undefined)!;
    const { queries: single } = await promqlDuring(
      stack.app,
      () =>
        gql<Result>(
          stack.url,
          QUERY,
          { filter: { kinds: ['GPU'], uuids: [one.uuid] }, range },
          HEADERS.admin,
        ),
      ['query_range'],
    );
    // One batched read per page: the fleet (two clusters) costs twice one GPU (one cluster), never a query per GPU.
    expect(queries.length).toBe(single.length * stack.model.clusters().length);
    expect(queries.length).toBeLessThan(stack.model.gpus().length);
  });

  it('pages devices with first/after, and lists nodes with their points when asked', async () => {
    const filter = { kinds: ['GPU', 'NPU', 'NODE'] };
    const first = await gql<Result>(stack.url, QUERY, { filter, range, first: 4 }, HEADERS.admin);
    expect(first.errors).toBeUndefined();
    const page = first.data!.deviceHistory;
    expect(page.edges).toHaveLength(4);
    expect(page.pageInfo.hasNextPage).toBe(true);
    // A node's devices together, the node itself first.
    expect(page.edges[0]!.node).toMatchObject({ kind: 'NODE', gpuPoints: null });
    expect(page.edges[0]!.node.nodePoints).toHaveLength(3);
    const all = await gql<Result>(stack.url, QUERY, { filter, range, first: 200 }, HEADERS.admin);
    const kinds = all.data!.deviceHistory.edges.map((e) => e.node.kind);
    const nodes = await gql<{ nodes: { totalCount: number } }>(
      stack.url,
      '{ nodes(first: 1000) { totalCount } }',
      {},
      HEADERS.admin,
    );
    // The nodes the nodes query lists, each once.
    expect(kinds.filter((k) => k === 'NODE')).toHaveLength(nodes.data!.nodes.totalCount);
    const ids = all.data!.deviceHistory.edges.map((e) => `${e.node.kind}:${e.node.cluster}:${e.node.id}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(kinds.filter((k) => k === 'GPU')).toHaveLength(stack.model.gpus().length);
  });

  it('refuses a page of more than 250,000 points with BAD_USER_INPUT', async () => {
    const to = Date.now();
    const res = await gql<Result>(
      stack.url,
      QUERY,
      { filter: { kinds: ['GPU'] }, range: isoRange(to - 3 * 3_600_000, to, 1), first: 200 },
      HEADERS.admin,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/devices × 10801 points/);
  });

  it("gives a namespace-scoped key its own GPUs' history only, and no node-wide history", async () => {
    const res = await gql<Result>(stack.url, QUERY, { filter: { kinds: ['GPU'] }, range }, HEADERS.partner);
    expect(res.errors).toBeUndefined();
    const own = stack.model.gpus().filter((g) => g.namespace === auth.scopes.partnerNamespace);
    expect(res.data!.deviceHistory.edges.map((e) => e.node.id).sort()).toEqual(own.map(gpuKeyOf).sort());
    const nodes = await gql<Result>(
      stack.url,
      QUERY,
      { filter: { kinds: ['NODE'] }, range },
      HEADERS.partner,
    );
    expect(nodes.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
