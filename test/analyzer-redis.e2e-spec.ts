import { type RunningApp, startApp } from './harness/app';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { type RunningRedis, startRedis } from './harness/redis';
import { connectWs, type WsConnection } from './harness/ws-client';
import { byRole, isLeader } from './harness/analyzer-runs';

// No Prometheus configured: each replica serves the same simulated demo fleet, like two pods of one deployment.
const startReplica = (redisUrl: string): Promise<RunningApp> =>
  startApp({
    LOG_LEVEL: 'warn',
    REDIS_URL: redisUrl,
    ANALYZER_INTERVAL_SECONDS: '1',
    ANALYZER_WINDOW_SECONDS: '5',
  });

describe('analyzer with several replicas sharing Redis', () => {
  let redis: RunningRedis;
  const replicas: RunningApp[] = [];
  let ws: WsConnection | undefined;

  beforeAll(async () => {
    redis = await startRedis();
    replicas.push(await startReplica(redis.url), await startReplica(redis.url));
  });
  afterAll(async () => {
    await ws?.dispose();
    for (const r of replicas) await r.app.close().catch(() => undefined);
    await redis?.stop();
  });

  it('runs the schedule on exactly one replica and delivers its events to subscribers of the other', async () => {
    const { leaders, follower } = await byRole(replicas);
    expect(leaders).toBe(1);

    ws = connectWs(follower.url);
    await ws.connected;
    const sub = ws.subscribe(`subscription { analysisCompleted { run { id trigger } stats { total } } }`);
    const event = await pollUntil('an analysisCompleted event on the follower', async () => sub.events[0], {
      timeoutMs: 20_000,
    });
    const completed = (
      event.data as { analysisCompleted: { run: { trigger: string }; stats: { total: number } } }
    ).analysisCompleted;
    expect(completed.run.trigger).toBe('schedule');
    expect(completed.stats.total).toBeGreaterThan(0);

    // The follower serves the leader's results although it never ran a scheduled cycle itself.
    const scores = await gql<{ gpuScores: { totalCount: number }; analyzerConfig: { lastRun: unknown } }>(
      follower.url,
      `{ gpuScores { totalCount } analyzerConfig { lastRun { id } } }`,
    );
    expect(scores.data!.gpuScores.totalCount).toBe(completed.stats.total);
    expect(scores.data!.analyzerConfig.lastRun).toBeNull();
  });

  it('hands the schedule to the other replica when the leader stops', async () => {
    const { leader, follower } = await byRole(replicas);
    await leader.app.close();
    await pollUntil(
      'the follower takes the leader lock',
      async () => ((await isLeader(follower.url)) ? true : undefined),
      {
        timeoutMs: 30_000,
        intervalMs: 500,
      },
    );
  });
});
