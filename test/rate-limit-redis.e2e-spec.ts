import { apiKeysEnv } from './harness/api-keys';
import { type RunningApp, startApp } from './harness/app';
import { type RunningRedis, startRedis } from './harness/redis';
import { at, atLeast } from './harness/indexed';

const SECRET = 'kc_shared_budget_5e1f';
const LIMIT = 3;

function startReplica(redisUrl: string): Promise<RunningApp> {
  return startApp({
    LOG_LEVEL: 'error',
    REDIS_URL: redisUrl,
    ANALYZER_ENABLED: 'false',
    API_KEYS: apiKeysEnv([
      { name: 'partner-shared', secret: SECRET, role: 'viewer', rateLimitPerMinute: LIMIT },
    ]),
  });
}

const ask = (url: string) =>
  fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
    body: JSON.stringify({ query: '{ system { version } }' }),
  });

describe('rate limits shared by replicas through Redis', () => {
  let redis: RunningRedis;
  let replicas: RunningApp[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    replicas = [await startReplica(redis.url), await startReplica(redis.url)];
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.app.close()));
    await redis?.stop();
  });

  it('spends one per-key budget across replicas: the request over the limit is refused wherever it lands', async () => {
    const [a, b] = atLeast(replicas, 2, 'replicas');
    expect((await ask(a.url)).status).toBe(200);
    expect((await ask(a.url)).status).toBe(200);
    expect((await ask(b.url)).status).toBe(200);
    // In memory, replica b would have counted only one request so far.
    const refused = await ask(b.url);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await ask(a.url)).status).toBe(429);
  });

  it('admits requests when Redis is gone rather than failing them', async () => {
    await redis.stop();
    const res = await ask(at(replicas, 0, 'replica').url);
    expect(res.status).toBe(200);
    expect(
      ((await res.json()) as { data: { system: { version: string } } }).data.system.version,
    ).toBeTruthy();
  });
});
