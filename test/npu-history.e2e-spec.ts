import { defaultScenario } from '@kcloud/fleet-model';
import { ClusterRegistry } from '@kcloud/prometheus';
import { HEADERS, startAuthStack, type Scopes } from './harness/auth-fixture';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { type Stack, startStack } from './harness/stack';
import { bothScrapeShapes } from './harness/stacks';

interface Point {
  timestamp: string;
  utilizationPercent: number | null;
  memoryUsedMiB: number | null;
  powerWatts: number | null;
  temperatureCelsius: number | null;
  ambientTemperatureCelsius: number | null;
}
interface HistoryNpu {
  uuid: string;
  cluster: string;
  namespace: string | null;
  history: Point[];
}
type Result = { npus: { edges: { node: HistoryNpu }[] } };

const POINT =
  'timestamp utilizationPercent memoryUsedMiB powerWatts temperatureCelsius ambientTemperatureCelsius';
const QUERY = `query($range: TimeRangeInput!, $metrics: [NpuHistoryMetric!]) {
  npus(first: 50) { edges { node { uuid cluster namespace history(range: $range, metrics: $metrics) { ${POINT} } } } } }`;

const TICK_SECONDS = 5;

describe('Npu.history through a real Prometheus scraping the simulator (Furiosa and Rebellions exporters)', () => {
  let stack: Stack;
  let startedMs: number;

  beforeAll(async () => {
    const scenario = { ...defaultScenario(), tickSeconds: TICK_SECONDS };
    stack = await startStack(scenario, bothScrapeShapes(scenario), { CACHE_TTL_REALTIME_SECONDS: '0' });
    startedMs = Date.now();
  });
  afterAll(async () => stack?.close());

  it('answers every card at every step with the simulator values of that time, null before the data began', async () => {
    // Mid-bucket timestamps: the sample Prometheus holds at t was rendered in t's bucket (see gpu-history).
    const bucketMs = TICK_SECONDS * 1000;
    const from = Math.floor(startedMs / bucketMs) * bucketMs - 2 * bucketMs + bucketMs / 2;
    const points = 6;
    const to = from + (points - 1) * bucketMs;
    await pollUntil('the range to be scraped', async () => (Date.now() > to + 1500 ? true : undefined), {
      timeoutMs: 60_000,
    });
    const res = await gql<Result>(stack.url, QUERY, {
      range: {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        stepSeconds: TICK_SECONDS,
      },
    });
    expect(res.errors).toBeUndefined();
    const npus = res.data!.npus.edges.map((e) => e.node);
    expect(npus).toHaveLength(stack.model.npus().length);
    expect(new Set(npus.map((n) => n.cluster)).size).toBe(2);
    let compared = 0;
    for (const npu of npus) {
      expect(npu.history.map((p) => Date.parse(p.timestamp))).toEqual(
        Array.from({ length: points }, (_, i) => from + i * bucketMs),
      );
      for (const p of npu.history) {
        const t = Date.parse(p.timestamp);
        if (t < startedMs - 5000) {
          expect(p).toMatchObject({ utilizationPercent: null, powerWatts: null, temperatureCelsius: null });
          continue;
        }
        if (t < startedMs + 1500) continue; // the first scrape lands somewhere in here
        const sim = stack.model.npus(npu.cluster, t).find((n) => n.uuid === npu.uuid)!;
        expect(p.utilizationPercent).toBeCloseTo(sim.utilizationPercent!, 6);
        expect(p.powerWatts).toBeCloseTo(sim.powerWatts!, 6);
        expect(p.temperatureCelsius).toBeCloseTo(sim.temperatureCelsius!, 6);
        // Furiosa reports no device memory; Rebellions no ambient sensor.
        if (sim.vendor === 'rebellions') {
          expect(p.memoryUsedMiB).toBeCloseTo(sim.memoryUsedMiB!, 6);
          expect(p.ambientTemperatureCelsius).toBeNull();
        } else expect(p.ambientTemperatureCelsius).toBeCloseTo(sim.ambientTemperatureCelsius!, 6);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(npus.length);
  });

  it('reads the history of every card in the request with two range queries per cluster, whatever the card count', async () => {
    const registry = stack.app.get(ClusterRegistry);
    let count = 0;
    const off = registry.onRequest((e) => {
      if (e.endpoint === 'query_range') count++;
    });
    const to = Date.now();
    const res = await gql<Result>(stack.url, QUERY, {
      range: { from: new Date(to - 60_000).toISOString(), to: new Date(to).toISOString(), stepSeconds: 5 },
    });
    off();
    expect(res.errors).toBeUndefined();
    expect(res.data!.npus.edges.length).toBeGreaterThan(2);
    expect(count).toBe(2 * stack.model.clusters().length);
  });

  it('fills only the metrics asked for and refuses too many points with BAD_USER_INPUT', async () => {
    const to = Date.now();
    const res = await gql<Result>(stack.url, QUERY, {
      range: { from: new Date(to - 10_000).toISOString(), to: new Date(to).toISOString(), stepSeconds: 5 },
      metrics: ['POWER_WATTS'],
    });
    expect(res.errors).toBeUndefined();
    const last = res.data!.npus.edges[0].node.history.at(-1)!;
    expect(last.powerWatts).not.toBeNull();
    expect(last).toMatchObject({ utilizationPercent: null, temperatureCelsius: null });
    const refused = await gql(stack.url, QUERY, {
      range: {
        from: new Date(to - 86_400_000).toISOString(),
        to: new Date(to).toISOString(),
        stepSeconds: 1,
      },
    });
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('Npu.history within a namespace-scoped key', () => {
  let stack: Stack;
  let scopes: Scopes;

  beforeAll(async () => {
    ({ stack, scopes } = await startAuthStack());
  });
  afterAll(async () => stack?.close());

  it("gives the partner its own cards' history with the simulator values, and no other card", async () => {
    const own = stack.model.npus().filter((n) => n.namespace === scopes.partnerNamespace);
    expect(own.length).toBeGreaterThan(0);
    await pollUntil(
      'the cards to be scraped',
      async () => {
        const to = Date.now();
        const range = {
          from: new Date(to - 10_000).toISOString(),
          to: new Date(to).toISOString(),
          stepSeconds: 5,
        };
        const res = await gql<Result>(stack.url, QUERY, { range }, HEADERS.partner);
        const npus = res.data?.npus.edges.map((e) => e.node) ?? [];
        return npus.length && npus.every((n) => n.history.at(-1)?.powerWatts !== null) ? npus : undefined;
      },
      { timeoutMs: 60_000 },
    ).then((npus) => {
      expect(npus.map((n) => n.uuid).sort()).toEqual(own.map((n) => n.uuid).sort());
      for (const n of npus) {
        const sim = own.find((o) => o.uuid === n.uuid)!;
        expect(n.history.at(-1)!.powerWatts).toBeCloseTo(sim.powerWatts!, 6);
      }
    });
    // A foreign card's history through `npu(uuid)`: not found, nothing leaks.
    const other = stack.model.npus().find((n) => n.namespace !== scopes.partnerNamespace)!;
    const to = Date.now();
    const one = await gql<{ npu: HistoryNpu | null }>(
      stack.url,
      `query($u: ID!, $range: TimeRangeInput!) { npu(uuid: $u) { uuid history(range: $range) { ${POINT} } } }`,
      { u: other.uuid, range: { from: new Date(to - 10_000).toISOString(), to: new Date(to).toISOString() } },
      HEADERS.partner,
    );
    expect(one.data?.npu ?? null).toBeNull();
    expect(one.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
