import { defaultScenario, FleetModel } from '@kcloud/fleet-model';
import { type RunningApp, startApp } from './harness/app';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { type RunningRedis, startRedis } from './harness/redis';
import { byRole, isLeader, lastRunStartMs } from './harness/analyzer-runs';

/**
 * The idle ledger and the acknowledgements live in the replicas' shared state: every replica answers a range alike,
 * a leader change neither loses nor doubles an interval, and a replica started later answers a range from before it
 * existed. Each replica serves the simulated demo fleet (no Prometheus), like the pods of one deployment.
 */
const startReplica = (redisUrl: string): Promise<RunningApp> =>
  startApp({
    REDIS_URL: redisUrl,
    ANALYZER_INTERVAL_SECONDS: '1',
    ANALYZER_WINDOW_SECONDS: '5',
    IDLE_ENTER_SECONDS: '2',
    IDLE_EXIT_SECONDS: '2',
    IDLE_GRACE_SECONDS: '0',
    IDLE_LEDGER_BUCKET_SECONDS: '5',
  });

interface UsageRow {
  key: string;
  idleGpuHours: number;
  idleEnergyKWh: number;
}
const USAGE = `query($from: DateTime!, $to: DateTime!) {
  idleUsage(range: { from: $from, to: $to }, groupBy: NAMESPACE) { key idleGpuHours idleEnergyKWh } }`;

const usage = async (url: string, fromMs: number, toMs: number): Promise<Map<string, UsageRow>> => {
  const res = await gql<{ idleUsage: UsageRow[] }>(url, USAGE, {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
  });
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return new Map(res.data.idleUsage.map((r) => [r.key, r]));
};

describe('idle ledger and acknowledgements shared by replicas (Redis)', () => {
  let redis: RunningRedis;
  const replicas: RunningApp[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    replicas.push(await startReplica(redis.url), await startReplica(redis.url));
  });
  afterAll(async () => {
    for (const r of replicas) await r.app.close().catch(() => undefined);
    await redis?.stop();
  });

  it('answers a range alike on every replica, across a leader change and from a replica started later', async () => {
    // The research namespace runs only notebooks: IDLE_HELD all along once entered (the ground truth).
    const model = new FleetModel(defaultScenario());
    const research = model.gpus(undefined, Date.now()).filter((g) => g.namespace === 'research');
    expect(research.length).toBeGreaterThan(0);
    expect(research.every((g) => g.pattern === 'notebook')).toBe(true);
    const truth = (fromMs: number, toMs: number) => {
      let hours = 0;
      let joules = 0;
      const at = (t: number) =>
        new Map(model.gpus(undefined, t).map((g) => [`${g.uuid}/${g.migInstanceId ?? ''}`, g]));
      const [a, b] = [at(fromMs), at(toMs)];
      for (const [key, g] of b) {
        if (g.namespace !== 'research') continue;
        // A MIG board's energy is split over its instances by compute slices.
        const board = [...b.values()].filter((o) => o.uuid === g.uuid);
        const slices = (p?: string) => (p ? Number(p.split('g')[0]) : 7);
        const share = slices(g.migProfile) / board.reduce((s, o) => s + slices(o.migProfile), 0);
        hours += ((toMs - fromMs) / 3_600_000) * (slices(g.migProfile) / 7);
        joules += ((g.energyMillijoules - a.get(key)!.energyMillijoules) / 1000) * share;
      }
      return { hours, kWh: joules / 3_600_000 };
    };

    const { leaders, leader, follower } = await byRole(replicas);
    expect(leaders).toBe(1);
    await pollUntil(
      'research notebooks IDLE_HELD',
      async () => {
        const res = await gql<{ gpuScores: { edges: { node: { activityState: string } }[] } }>(
          leader.url,
          `{ gpuScores(first: 100, filter: { namespace: "research" }) { edges { node { activityState } } } }`,
        );
        const states = res.data?.gpuScores.edges.map((e) => e.node.activityState) ?? [];
        return states.length > 0 && states.every((s) => s === 'IDLE_HELD') ? true : undefined;
      },
      { timeoutMs: 40_000, intervalMs: 500 },
    );
    const t1 = Date.now() + 1000;
    await pollUntil('a cycle after t1', async () =>
      (await lastRunStartMs(leader.url)) > t1 + 1000 ? true : undefined,
    );

    await pollUntil('cycles over 8 s after t1', async () =>
      (await lastRunStartMs(leader.url)) > t1 + 8000 ? true : undefined,
    );
    // Both replicas answer from the shared ledger, although only the leader ran cycles.
    const mid = Date.now() - 500;
    expect(await usage(follower.url, t1, mid)).toEqual(await usage(leader.url, t1, mid));

    // The leader goes away; the follower takes the lock and charges the interval since the last committed cycle.
    await leader.app.close();
    replicas.splice(replicas.indexOf(leader), 1);
    await pollUntil('the follower leads', async () => ((await isLeader(follower.url)) ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 500,
    });
    const t2 = Date.now() + 2000;
    await pollUntil('two cycles after t2 on the new leader', async () =>
      (await lastRunStartMs(follower.url)) > t2 + 2000 ? true : undefined,
    );
    const answered = await usage(follower.url, t1, t2);
    const expected = truth(t1, t2);
    const got = answered.get('research')!;
    const error = { hours: got.idleGpuHours / expected.hours - 1, kWh: got.idleEnergyKWh / expected.kWh - 1 };
    process.stdout.write(
      `research across a leader change (${Math.round((t2 - t1) / 1000)} s): ${JSON.stringify(error)}\n`,
    );
    expect(Math.abs(error.hours)).toBeLessThan(0.02);
    expect(Math.abs(error.kWh)).toBeLessThan(0.02);

    // A replica started now answers the range from before it existed, exactly as the other does.
    const late = await startReplica(redis.url);
    replicas.push(late);
    expect(await usage(late.url, t1, t2)).toEqual(await usage(follower.url, t1, t2));

    // An acknowledgement made on one replica hides the recommendation on the other.
    const recs = async (url: string) =>
      (
        await gql<{ reclaimRecommendations: { gpuId: string; namespace: string }[] }>(
          url,
          `{ reclaimRecommendations(filter: { namespace: "research" }, first: 50) { gpuId namespace } }`,
        )
      ).data!.reclaimRecommendations.map((r) => r.gpuId);
    const [first] = await recs(follower.url);
    expect(first).toBeDefined();
    const ack = await gql(
      follower.url,
      `mutation($id: ID!) { acknowledgeRecommendation(gpuId: $id, hours: 1) { gpuId } }`,
      { id: first },
    );
    expect(ack.errors).toBeUndefined();
    expect(await recs(late.url)).not.toContain(first);
  }, 90_000);
});
