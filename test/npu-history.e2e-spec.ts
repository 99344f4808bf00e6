import { HEADERS } from './harness/auth-fixture';
import { gql } from './harness/graphql-client';
import { isoRange, lastRange, stepPhase } from './harness/history-range';
import { useHistoryStack } from './harness/history-stack';
import { pollUntil } from './harness/poll';
import { promqlDuring } from './harness/promql-during';
import { useAuthStack } from './harness/use-stack';
import { at } from './harness/indexed';

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
  const history = useHistoryStack(TICK_SECONDS);
  const { stack } = history;

  it('answers every card at every step with the simulator values of that time, null before the data began', async () => {
    const { timestamps, range } = await history.scrapedSteps(6);
    const res = await gql<Result>(stack.url, QUERY, { range });
    expect(res.errors).toBeUndefined();
    const npus = res.data!.npus.edges.map((e) => e.node);
    expect(npus).toHaveLength(stack.model.npus().length);
    expect(new Set(npus.map((n) => n.cluster)).size).toBe(2);
    let compared = 0;
    for (const npu of npus) {
      expect(npu.history.map((p) => Date.parse(p.timestamp))).toEqual(timestamps);
      for (const p of npu.history) {
        const t = Date.parse(p.timestamp);
        const phase = stepPhase(t, history.startedMs);
        if (phase === 'before-data') {
          expect(p).toMatchObject({ utilizationPercent: null, powerWatts: null, temperatureCelsius: null });
          continue;
        }
        if (phase === 'first-scrape') continue;
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
    const { result: res, queries } = await promqlDuring(
      stack.app,
      () => gql<Result>(stack.url, QUERY, { range: lastRange(60_000, 5) }),
      ['query_range'],
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.npus.edges.length).toBeGreaterThan(2);
    expect(queries).toHaveLength(2 * stack.model.clusters().length);
  });

  it('fills only the metrics asked for and refuses too many points with BAD_USER_INPUT', async () => {
    const to = Date.now();
    const res = await gql<Result>(stack.url, QUERY, {
      range: isoRange(to - 10_000, to, 5),
      metrics: ['POWER_WATTS'],
    });
    expect(res.errors).toBeUndefined();
    const last = at(at(res.data!.npus.edges, 0, 'NPU').node.history, -1, 'history point');
    expect(last.powerWatts).not.toBeNull();
    expect(last).toMatchObject({ utilizationPercent: null, temperatureCelsius: null });
    const refused = await gql(stack.url, QUERY, { range: isoRange(to - 86_400_000, to, 1) });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('Npu.history within a namespace-scoped key', () => {
  const auth = useAuthStack();
  const { stack } = auth;

  it("gives the partner its own cards' history with the simulator values, and no other card", async () => {
    const { scopes } = auth;
    const own = stack.model.npus().filter((n) => n.namespace === scopes.partnerNamespace);
    expect(own.length).toBeGreaterThan(0);
    await pollUntil(
      'the cards to be scraped',
      async () => {
        const res = await gql<Result>(stack.url, QUERY, { range: lastRange(10_000, 5) }, HEADERS.partner);
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
    const one = await gql<{ npu: HistoryNpu | null }>(
      stack.url,
      `query($u: ID!, $range: TimeRangeInput!) { npu(uuid: $u) { uuid history(range: $range) { ${POINT} } } }`,
      { u: other.uuid, range: lastRange(10_000) },
      HEADERS.partner,
    );
    expect(one.data?.npu ?? null).toBeNull();
    expect(one.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
