import { gpuKeyOf } from '@kcloud/fleet-model';
import { ClusterRegistry } from '@kcloud/prometheus';
import { register } from 'prom-client';
import { HEADERS } from './harness/auth-fixture';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { SocketPool, type Subscription, type WsConnection } from './harness/ws-client';
import { useAuthStack } from './harness/use-stack';

const LIVE = `subscription($filter: GpuFilterInput, $interval: Int!, $first: Int!) {
  gpuMetricsUpdated(filter: $filter, intervalSeconds: $interval, first: $first) {
    sequence intervalSeconds totalCount unavailableClusters observedAt
    gpus { id uuid cluster node namespace utilizationPercent memoryUsedMiB powerWatts temperatureCelsius
           dataQuality { status } }
  } }`;

interface LiveGpu {
  id: string;
  uuid: string;
  cluster: string;
  node: string;
  namespace: string | null;
  utilizationPercent: number | null;
  memoryUsedMiB: number | null;
  powerWatts: number | null;
  temperatureCelsius: number | null;
  dataQuality: { status: string };
}
interface Snapshot {
  sequence: number;
  intervalSeconds: number;
  totalCount: number;
  unavailableClusters: string[];
  gpus: LiveGpu[];
}

const MAX_SUBSCRIPTIONS = 45;

const snapshots = (sub: Subscription): Snapshot[] =>
  sub.events.map((e) => {
    if (e.errors?.length) throw new Error(JSON.stringify(e.errors));
    return (e.data as { gpuMetricsUpdated: Snapshot }).gpuMetricsUpdated;
  });

const executions = async (): Promise<number> => {
  const metric = register.getSingleMetric('kcloud_subscription_executions_total');
  const values = metric ? (await metric.get()).values : [];
  return values.filter((v) => v.labels.field === 'gpuMetricsUpdated').reduce((s, v) => s + v.value, 0);
};

/** How a refused subscription ended: an `error` message, or a result with errors and `complete`. */
async function refusal(sub: Subscription): Promise<string> {
  const failure = await Promise.race([sub.failure, sub.done.then(() => undefined)]);
  expect(sub.events.every((e) => e.errors?.length)).toBe(true);
  return JSON.stringify([failure ?? null, sub.events.map((e) => e.errors)]);
}

async function activeSubscriptions(): Promise<number> {
  const metric = register.getSingleMetric('graphql_subscriptions_active');
  return metric ? (await metric.get()).values.reduce((s, v) => s + v.value, 0) : 0;
}

/**
 * Live GPU readings over real graphql-ws, read from real Prometheus scraping the simulator: the values are the
 * simulator's, scoped keys see only their devices, and the upstream reads per tick do not grow with subscribers.
 */
describe('gpuMetricsUpdated (graphql-ws, real Prometheus + fleet-sim)', () => {
  const sockets = new SocketPool();
  const auth = useAuthStack(
    {
      // Nothing else reads Prometheus while the test counts requests.
      ANALYZER_ENABLED: 'false',
      MAX_SUBSCRIPTIONS_PER_KEY: String(MAX_SUBSCRIPTIONS),
      MAX_CONNECTIONS_PER_KEY: '20',
    },
    [],
    { closeFirst: () => sockets.disposeAll() },
  );
  const { stack } = auth;
  const connect = async (who: Record<string, string>): Promise<WsConnection> => {
    const ws = sockets.connect(stack.url, who);
    await ws.connected;
    return ws;
  };

  it('pushes every GPU of the filter with the simulator’s readings and the same dataQuality as gpus', async () => {
    const cluster = stack.model.clusters()[0]!;
    const ws = await connect(HEADERS.admin);
    const sub = ws.subscribe(LIVE, { filter: { cluster }, interval: 1, first: 500 });
    const expected = stack.model.gpus(cluster);
    // A read that timed out on a loaded machine is a correct partial answer (unavailableClusters), and a dcgm scrape
    // that timed out marks its GPUs EXPORTER_DOWN for a second: wait for a whole snapshot of good data.
    const whole = (s: Snapshot) =>
      s.unavailableClusters.length === 0 &&
      s.totalCount === expected.length &&
      s.gpus.every((g) => g.dataQuality.status === 'OK');
    const first = await pollUntil('a complete snapshot', async () => snapshots(sub).find(whole), {
      timeoutMs: 60_000,
    });
    const second = await pollUntil('the next snapshot', async () =>
      snapshots(sub).find((s) => s.sequence === first.sequence + 1),
    );
    sub.stop();
    expect(second.intervalSeconds).toBe(1);
    expect(first.totalCount).toBe(expected.length);
    expect(first.unavailableClusters).toEqual([]);
    const byId = new Map(first.gpus.map((g) => [g.id, g]));
    for (const sim of expected) {
      const live = byId.get(gpuKeyOf(sim));
      expect(live).toBeDefined();
      expect({
        node: live!.node,
        namespace: live!.namespace,
        utilizationPercent: live!.utilizationPercent,
        memoryUsedMiB: live!.memoryUsedMiB,
        temperatureCelsius: live!.temperatureCelsius,
      }).toEqual({
        node: sim.node,
        namespace: sim.namespace ?? null,
        utilizationPercent: sim.utilizationPercent ?? null,
        memoryUsedMiB: sim.memoryUsedMiB,
        temperatureCelsius: sim.temperatureCelsius,
      });
      expect(live!.powerWatts).toBeCloseTo(sim.powerWatts, 5);
    }
    // The same judgement as the gpus query once its data is good too (a loaded machine's scrape timeouts and stale
    // samples come and go between two reads).
    const listed = await pollUntil('a listing with the exporter up', async () => {
      const res = await gql<{ gpus: { edges: { node: LiveGpu }[] } }>(
        stack.url,
        `query($f: GpuFilterInput) { gpus(filter: $f, first: 1000) { edges { node { id dataQuality { status } } } } }`,
        { f: { cluster } },
        HEADERS.admin,
      );
      const edges = res.data?.gpus.edges ?? [];
      return edges.length === expected.length && edges.every((e) => e.node.dataQuality.status === 'OK')
        ? edges
        : undefined;
    });
    expect(Object.fromEntries(first.gpus.map((g) => [g.id, g.dataQuality.status]))).toEqual(
      Object.fromEntries(listed.map((e) => [e.node.id, e.node.dataQuality.status])),
    );
  });

  it('reads upstream once per tick for 40 subscribers as for one, and executes each snapshot once', async () => {
    const registry = stack.app.get(ClusterRegistry);
    const requests: string[] = [];
    const off = registry.onRequest((e) => {
      if (e.endpoint === 'query' || e.endpoint === 'query_range') requests.push(e.query ?? '');
    });
    // The last-seen read of a down target is only sent while a scrape fails (a loaded machine); counted apart.
    const counted = () => requests.filter((q) => !q.includes('max_over_time((timestamp(')).length;
    const variables = { filter: { namespace: auth.scopes.partnerNamespace }, interval: 1, first: 50 };
    const socks = await Promise.all([1, 2, 3, 4].map(() => connect(HEADERS.admin)));
    /** Requests per computed snapshot while `subs` are subscribed, over `ticks` snapshots of the first. */
    const perSnapshot = async (subs: Subscription[], ticks: number) => {
      const start = await pollUntil('a snapshot on every subscriber', async () =>
        subs.every((s) => s.events.length) ? snapshots(subs[0]!).at(-1)!.sequence : undefined,
      );
      const [r0, e0] = [counted(), await executions()];
      const end = await pollUntil(
        `${ticks} more snapshots`,
        async () => {
          const seq = snapshots(subs[0]!).at(-1)!.sequence;
          return seq >= start + ticks ? seq : undefined;
        },
        { timeoutMs: 60_000 },
      );
      return {
        requests: (counted() - r0) / (end - start),
        executions: (await executions()) - e0,
        snapshots: end - start,
      };
    };
    const subs = [socks[0]!.subscribe(LIVE, variables)];
    const one = await perSnapshot(subs, 4);
    for (let i = 1; i < 40; i++) subs.push(socks[i % socks.length]!.subscribe(LIVE, variables));
    const forty = await perSnapshot(subs, 4);
    off();
    for (const s of subs) s.stop();
    // Reads happen at ticks, receipts slightly later: over whole ticks the ratio is exact.
    expect(one.requests).toBeGreaterThan(0);
    expect(forty.requests).toBe(one.requests);
    // One shared execution per snapshot (a tick may land between two receipts: at most one more).
    expect(forty.executions).toBeGreaterThanOrEqual(forty.snapshots);
    expect(forty.executions).toBeLessThanOrEqual(forty.snapshots + 1);
    // Every subscriber got the same snapshots in order.
    const last = snapshots(subs[0]!).at(-1)!;
    for (const s of subs) expect(snapshots(s).find((x) => x.sequence === last.sequence)).toEqual(last);
    process.stdout.write(
      `gpuMetricsUpdated: ${one.requests} Prometheus requests per snapshot with 1 subscriber, ${forty.requests} with 40\n`,
    );
  });

  it('shows a namespace key only its pods’ GPUs, and nothing of a namespace it may not see', async () => {
    const ws = await connect(HEADERS.partner);
    const mine = ws.subscribe(LIVE, { interval: 2, first: 500 });
    const foreign = ws.subscribe(LIVE, {
      filter: { namespace: auth.scopes.foreignValue.partner.namespace },
      interval: 2,
      first: 500,
    });
    const [m] = await pollUntil('the partner’s snapshot', async () =>
      mine.events.length ? snapshots(mine) : undefined,
    );
    const [f] = await pollUntil('the foreign snapshot', async () =>
      foreign.events.length ? snapshots(foreign) : undefined,
    );
    mine.stop();
    foreign.stop();
    const expected = stack.model.gpus().filter((g) => g.namespace === auth.scopes.partnerNamespace);
    expect(m!.gpus.map((g) => g.id).sort()).toEqual(expected.map(gpuKeyOf).sort());
    expect(m!.gpus.every((g) => g.namespace === auth.scopes.partnerNamespace)).toBe(true);
    expect([f!.totalCount, f!.gpus]).toEqual([0, []]);
  });

  it('refuses a bad interval or first with BAD_USER_INPUT, and counts in MAX_SUBSCRIPTIONS_PER_KEY', async () => {
    const ws = await connect(HEADERS.partner);
    expect(await refusal(ws.subscribe(LIVE, { interval: 0, first: 10 }))).toMatch(/BAD_USER_INPUT/);
    expect(await refusal(ws.subscribe(LIVE, { interval: 5, first: 501 }))).toMatch(/BAD_USER_INPUT/);
    await pollUntil('earlier subscriptions closed', async () =>
      (await activeSubscriptions()) === 0 ? true : undefined,
    );
    const held = Array.from({ length: MAX_SUBSCRIPTIONS }, () =>
      ws.subscribe(LIVE, { interval: 300, first: 1 }),
    );
    await pollUntil('all held', async () => (held.every((s) => s.events.length) ? true : undefined));
    const over = ws.subscribe(LIVE, { interval: 300, first: 1 });
    const error = (await over.failure) as { extensions?: { code?: string } }[];
    expect(error[0]!.extensions?.code).toBe('RATE_LIMITED');
    for (const s of held) s.stop();
  });
});
