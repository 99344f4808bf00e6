import { createHash } from 'node:crypto';
import { type ApiProcess, startApiProcess } from './harness/api-process';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { type RunningPrometheus, startPrometheus } from './harness/prometheus';
import { type RunningRedis, startRedis } from './harness/redis';
import { transpileCacheNodeArgs } from './harness/transpile-cache';
import { byRole } from './harness/analyzer-runs';

const SECRET = 'kc_shared_state_admin_5d7e';
const ADMIN = { authorization: `Bearer ${SECRET}` };
const API_KEYS = JSON.stringify([
  { name: 'state-admin', sha256: createHash('sha256').update(SECRET).digest('hex'), role: 'admin' },
]);
const INTERVAL_SECONDS = 2;
/** Everything on utilisation: a score then equals the GPU's utilisation input. */
const UTILIZATION_ONLY = { utilization: 1, memoryCopy: 0, memoryUsed: 0, power: 0 };

const configOf = async (url: string) =>
  (
    await gql<{ analyzerConfig: { version: number; weights: Record<string, number> } }>(
      url,
      `{ analyzerConfig { version weights { utilization memoryCopy memoryUsed power } } }`,
      {},
      ADMIN,
    )
  ).data!.analyzerConfig;

interface ScoreRow {
  readonly score: number | null;
  readonly reason: string | null;
  readonly computedAt: string;
  readonly inputs: { readonly utilizationPercent: number | null };
}

/** The results served by `url` are all computed after `sinceMs` and scored by utilisation alone. */
async function scoredByUtilizationSince(url: string, sinceMs: number): Promise<true | undefined> {
  const r = await gql<{ gpuScores: { edges: { node: ScoreRow }[] } }>(
    url,
    `{ gpuScores(first: 500) { edges { node { score reason computedAt inputs { utilizationPercent } } } } }`,
    {},
    ADMIN,
  );
  const rows = r.data!.gpuScores.edges.map((e) => e.node);
  if (!rows.length || rows.some((n) => Date.parse(n.computedAt) <= sinceMs)) return undefined;
  const scored = rows.filter(
    (n) => n.score !== null && n.reason === null && n.inputs.utilizationPercent !== null,
  );
  if (!scored.length) throw new Error('no scored GPU to compare');
  const off = scored.filter((n) => Math.abs(n.score! - n.inputs.utilizationPercent!) > 0.5);
  if (off.length) throw new Error(`scored with other weights: ${JSON.stringify(off.slice(0, 3))}`);
  return true;
}

describe('shared, persisted admin state across real API processes on Redis', () => {
  let redis: RunningRedis;
  let prometheus: RunningPrometheus;
  const processes: ApiProcess[] = [];

  const start = async (env: Record<string, string>): Promise<ApiProcess> => {
    const p = await startApiProcess(
      { REDIS_URL: redis.url, API_KEYS, ...env },
      { nodeArgs: transpileCacheNodeArgs },
    );
    processes.push(p);
    return p;
  };
  const pair = (env: Record<string, string>) => Promise.all([start(env), start(env)]);

  beforeAll(async () => {
    redis = await startRedis();
    prometheus = await startPrometheus([]);
  }, 60_000);
  afterAll(async () => {
    for (const p of processes) await p.kill();
    await prometheus?.stop();
    await redis?.stop();
  });

  it('updateAnalyzerConfig on one replica changes the weights the leader scores with within one interval, and a restart of both keeps them', async () => {
    const env = { ANALYZER_INTERVAL_SECONDS: String(INTERVAL_SECONDS), ANALYZER_WINDOW_SECONDS: '5' };
    const [a, b] = await pair(env);
    const { leaders, leader, follower: other } = await byRole([a, b], ADMIN);
    expect(leaders).toBe(1);

    const changedAt = Date.now();
    const update = await gql<{ updateAnalyzerConfig: { version: number } }>(
      other.url,
      `mutation($w: ScoreWeightsInput!) { updateAnalyzerConfig(input: { weights: $w }) { version } }`,
      { w: UTILIZATION_ONLY },
      ADMIN,
    );
    expect(update.errors).toBeUndefined();
    const version = update.data!.updateAnalyzerConfig.version;
    expect(version).toBeGreaterThan(0);
    expect(await configOf(leader.url)).toEqual({ version, weights: UTILIZATION_ONLY });
    // The cycle running at the change may finish with the old weights; the next one (≤ one interval later) may not.
    await pollUntil(
      'the leader scoring with the new weights',
      () => scoredByUtilizationSince(leader.url, changedAt),
      {
        timeoutMs: 2 * INTERVAL_SECONDS * 1000 + 2_000,
        intervalMs: 250,
      },
    );
    // A writer that read an older version is refused.
    const stale = await gql(
      leader.url,
      `mutation { updateAnalyzerConfig(input: { minDelta: 5, expectedVersion: ${version - 1} }) { version } }`,
      {},
      ADMIN,
    );
    expect(stale.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await configOf(leader.url)).version).toBe(version);

    await Promise.all([a.kill(), b.kill()]);
    const restarted = await pair(env);
    for (const r of restarted) expect(await configOf(r.url)).toEqual({ version, weights: UTILIZATION_ONLY });
    const restartedAt = Date.now();
    await pollUntil(
      'results scored with the stored weights after the restart',
      async () => {
        const { leader: l } = await byRole(restarted, ADMIN);
        return scoredByUtilizationSince(l.url, restartedAt);
      },
      { timeoutMs: 40_000, intervalMs: 500 },
    );
    await Promise.all(restarted.map((r) => r.kill()));
  }, 240_000);

  it('registerCluster on one replica is served by the other and after a restart of both; removeCluster likewise', async () => {
    const env = {
      PROMETHEUS_URL: prometheus.url,
      ALLOWED_CLUSTER_HOSTS: '127.0.0.1',
      ANALYZER_ENABLED: 'false',
      CACHE_TTL_SUMMARY_SECONDS: '0',
    };
    const names = async (url: string) =>
      (await gql<{ clusters: { name: string }[] }>(url, `{ clusters { name } }`, {}, ADMIN))
        .data!.clusters.map((c) => c.name)
        .sort();
    const [a, b] = await pair(env);
    const registered = await gql(
      a.url,
      `mutation($i: RegisterClusterInput!) { registerCluster(input: $i) { name status } }`,
      {
        i: {
          name: 'mirror',
          url: prometheus.url,
          gpuExporter: 'all-smi',
          keplerVersion: 'v0.7',
          labels: [{ name: 'region', value: 'eu' }],
          timeoutMs: 3000,
        },
      },
      ADMIN,
    );
    expect(registered.errors).toBeUndefined();
    await pollUntil('the other replica serving the registered cluster', async () =>
      (await names(b.url)).includes('mirror') ? true : undefined,
    );

    await Promise.all([a.kill(), b.kill()]);
    const [c, d] = await pair(env);
    expect(await names(c.url)).toEqual(['default', 'mirror']);
    expect(await names(d.url)).toEqual(['default', 'mirror']);

    const removed = await gql(d.url, `mutation { removeCluster(name: "mirror") }`, {}, ADMIN);
    expect(removed.errors).toBeUndefined();
    await pollUntil('the other replica dropping the removed cluster', async () =>
      (await names(c.url)).includes('mirror') ? undefined : true,
    );
    await Promise.all([c.kill(), d.kill()]);
  }, 240_000);
});
