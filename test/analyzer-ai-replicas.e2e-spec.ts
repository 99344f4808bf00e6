import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultScenario } from '@kcloud/fleet-model';
import { type RunningApp, startApp } from './harness/app';
import { type ChatCompletionsServer, startChatCompletionsServer } from './harness/chat-completions-server';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { type RunningRedis, startRedis } from './harness/redis';
import { byRole } from './harness/analyzer-runs';
import { at } from './harness/indexed';

interface Row {
  gpuId: string;
  aiAnalysis: { status: string; confidence: number; adjustedScore: number; analyzedAt: string } | null;
}

const answers = async (app: RunningApp): Promise<Record<string, Row['aiAnalysis']>> => {
  const res = await gql<{ gpuScores: { edges: { node: Row }[] } }>(
    app.url,
    `{ gpuScores(first: 1000) { edges { node { gpuId aiAnalysis { status confidence adjustedScore analyzedAt } } } } }`,
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return Object.fromEntries(
    res.data!.gpuScores.edges.filter((e) => e.node.aiAnalysis).map((e) => [e.node.gpuId, e.node.aiAnalysis]),
  );
};

/**
 * Two replicas sharing Redis (as two pods of one deployment) and one AI endpoint: the replica running the cycles asks,
 * every replica shows the answers, and a restarted replica neither loses them nor pays for them again.
 */
describe('analyzer AI second opinion with two replicas sharing Redis', () => {
  let dir: string;
  let redis: RunningRedis;
  let chat: ChatCompletionsServer;
  const replicas: RunningApp[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'analyzer-ai-replicas-'));
    const scenario = join(dir, 'scenario.json');
    // Day-long ticks: every value, hence every GPU state (and cache key), stays the same during the suite.
    await writeFile(scenario, JSON.stringify({ ...defaultScenario(), tickSeconds: 86_400 }));
    redis = await startRedis();
    chat = await startChatCompletionsServer('answer');
    env = {
      SIM_SCENARIO: scenario,
      REDIS_URL: redis.url,
      ANALYZER_INTERVAL_SECONDS: '1',
      ANALYZER_WINDOW_SECONDS: '5',
      CACHE_TTL_REALTIME_SECONDS: '0',
      ANALYZER_AI_ENABLED: 'true',
      ANALYZER_AI_API_URL: chat.baseUrl,
      ANALYZER_AI_MAX_GPUS_PER_CYCLE: '100',
    };
    replicas.push(await startApp(env), await startApp(env));
  }, 120_000);

  afterAll(async () => {
    for (const r of replicas) await r.app.close().catch(() => undefined);
    await chat?.close();
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows the leader’s answers on the follower; each GPU state is asked about once in all', async () => {
    const { leaders, leader, follower } = await byRole(replicas);
    expect(leaders).toBe(1);

    // The leader answers every candidate in its first passes; then both replicas show the same answers.
    const shown = await pollUntil(
      'the same answers on both replicas',
      async () => {
        const [l, f] = [await answers(leader), await answers(follower)];
        return Object.keys(l).length >= 3 && JSON.stringify(l) === JSON.stringify(f) ? l : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(Object.values(shown).every((a) => a!.confidence === 0.87)).toBe(true);
    const asked = chat.requests.map((r) => r.evidence!.gpu.id);
    expect(asked.length).toBe(new Set(asked).size);
  }, 90_000);

  it('a restarted replica shows the answers at once and asks nothing again', async () => {
    const before = await answers(at(replicas, 0, 'replica'));
    const askedBefore = chat.requests.length;
    const { follower } = await byRole(replicas);
    replicas.splice(replicas.indexOf(follower), 1);
    await follower.app.close();
    const restarted = await startApp(env);
    replicas.push(restarted);
    expect(await answers(restarted)).toEqual(before);
    // A few cycles later still no new question: the states have not changed.
    const runId = async () =>
      (
        await gql<{ analyzerConfig: { lastRun: { id: number } | null } }>(
          at(replicas, 0, 'replica').url,
          `{ analyzerConfig { lastRun { id } } }`,
        )
      ).data!.analyzerConfig.lastRun?.id ?? 0;
    const id = await runId();
    await pollUntil('three more cycles', async () => ((await runId()) >= id + 3 ? true : undefined), {
      timeoutMs: 30_000,
    });
    expect(chat.requests.length).toBe(askedBefore);
  }, 90_000);
});
