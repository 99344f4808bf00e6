import type { INestApplication } from '@nestjs/common';
import { CacheService } from '@kcloud/cache';
import { defaultScenario, FleetModel } from '@kcloud/fleet-model';
import { adminTenantClusterKeys, apiKeysEnv, bearer } from './harness/api-keys';
import { scopesOf } from './harness/auth-fixture';
import { pollUntil } from './harness/poll';
import { startCachingApp } from './response-cache-app';

const SECRETS = {
  admin: 'kc_sf_admin_4b8e1d7a20c93f56',
  tenant: 'kc_sf_tenant_9c2a6f3e81d07b45',
  cluster: 'kc_sf_cluster_1e7d4b9a6c20f853',
};
const METRICS_TOKEN = 'kc_sf_metrics_6a0f3c8e2b9d4175';
const { viewerCluster } = scopesOf(new FleetModel(defaultScenario()));
/** Two scopes: a partner in the `inference` namespace, a partner on one cluster. */
const KEYS = apiKeysEnv(adminTenantClusterKeys('sf', SECRETS, viewerCluster));

const GPUS = `query Gpus($first: Int) { gpus(first: $first) { totalCount edges { node { uuid namespace cluster } } } }`;
/** Concurrent identical requests per scope. */
const N = 12;

interface Answer {
  readonly status: number;
  readonly cache: string | null;
  readonly requestId: string | null;
  readonly text: string;
}

/**
 * Identical concurrent misses execute once (production mode, API keys, the in-process app): right after a refresh
 * every stored answer misses at once, and N callers of one scope asking the same thing together get one execution's
 * answer — the leader's miss, N-1 hits, byte-identical — while two scopes never share. The `gpus` field's reads are
 * counted (and held) at the read-through cache the resolver calls, per scope's read key.
 */
describe('GraphQL response cache: one execution for identical concurrent misses', () => {
  let app: INestApplication;
  let url: string;
  /** Reads of the gpus field by read key (its filter holds the caller's scope). */
  const reads = new Map<string, number>();
  let held: Promise<void> | undefined;
  let arrived = 0;
  let lines: string[] = [];

  beforeAll(async () => {
    ({ app, url, lines } = await startCachingApp({ API_KEYS: KEYS, METRICS_TOKEN }));
    const cache = app.get(CacheService);
    const getOrLoad = cache.getOrLoad.bind(cache);
    jest.spyOn(cache, 'getOrLoad').mockImplementation(async (key, ttlClass, load) => {
      if (key.startsWith('gpus:')) {
        reads.set(key, (reads.get(key) ?? 0) + 1);
        await held;
      }
      return getOrLoad(key, ttlClass, load);
    });
    (app.getHttpServer() as { on: (e: string, f: () => void) => void }).on('request', () => arrived++);
  }, 120_000);
  afterAll(async () => {
    jest.restoreAllMocks();
    await app?.close();
  });

  const post = async (
    query: string,
    headers: Record<string, string>,
    variables: object = {},
  ): Promise<Answer> => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(60_000),
    });
    return {
      status: res.status,
      cache: res.headers.get('x-response-cache'),
      requestId: res.headers.get('x-request-id'),
      text: await res.text(),
    };
  };
  const untilHit = (label: string, ask: () => Promise<Answer>) =>
    pollUntil(
      label,
      async () => {
        const a = await ask();
        return a.cache === 'hit' ? a : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
  /** Event-loop turns (not time): the app runs in this process, so each turn moves every request on. */
  const turns = async (n: number, until: () => boolean = () => false): Promise<void> => {
    for (let i = 0; i < n && !until(); i++) await new Promise((resolve) => setImmediate(resolve));
  };
  const total = () => [...reads.values()].reduce((a, b) => a + b, 0);

  it('executes N identical requests of one scope once after an invalidation, each scope apart', async () => {
    const partner = bearer(SECRETS.tenant);
    const viewer = bearer(SECRETS.cluster);
    // Known and stored first: the burst then finds its text parsed (keys before Express) and its answer gone.
    await untilHit('a stored partner answer', () => post(GPUS, partner, { first: 13 }));
    await untilHit('a stored viewer answer', () => post(GPUS, viewer, { first: 13 }));
    const run = await post(`mutation { triggerAnalysis { gpuCount } }`, bearer(SECRETS.admin));
    expect(run.status).toBe(200);

    reads.clear();
    let open!: () => void;
    held = new Promise<void>((resolve) => (open = resolve));
    const before = arrived;
    const burst = Promise.all([
      ...Array.from({ length: N }, () => post(GPUS, partner, { first: 13 })),
      ...Array.from({ length: N }, () => post(GPUS, viewer, { first: 13 })),
    ]);
    // Every request in, then time for each to reach the execution or a wait (without single flight, all 2N read).
    await pollUntil(
      'every request of the burst to arrive',
      async () => arrived - before >= 2 * N || undefined,
      {
        timeoutMs: 30_000,
        intervalMs: 5,
      },
    );
    await turns(500, () => total() >= 2 * N);
    open();
    const answers = await burst;
    held = undefined;

    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect([...reads.values()]).toEqual([1, 1]);
    const [partnerAnswers, viewerAnswers] = [answers.slice(0, N), answers.slice(N)];
    for (const group of [partnerAnswers, viewerAnswers]) {
      expect(new Set(group.map((a) => a.text)).size).toBe(1);
      expect(group.map((a) => a.cache).sort()).toEqual([...Array<string>(N - 1).fill('hit'), 'miss'].sort());
    }
    expect(partnerAnswers[0]!.text).not.toBe(viewerAnswers[0]!.text);
    const nodes = (a: Answer) =>
      (
        JSON.parse(a.text) as { data: { gpus: { edges: { node: Record<string, string> }[] } } }
      ).data.gpus.edges.map((e) => e.node);
    expect(new Set(nodes(partnerAnswers[0]!).map((n) => n.namespace))).toEqual(new Set(['inference']));
    expect(new Set(nodes(viewerAnswers[0]!).map((n) => n.cluster))).toEqual(new Set([viewerCluster]));
  });

  it('gives a hit its request id and counts it while the access line’s level is off (LOG_LEVEL warn)', async () => {
    const partner = bearer(SECRETS.tenant);
    const counted = async (): Promise<number> => {
      const res = await fetch(`${url}/metrics`, { headers: bearer(METRICS_TOKEN) });
      const line = (await res.text())
        .split('\n')
        .find((l) => l.startsWith('api_requests_total{method="POST",route="/graphql",status="200"} '));
      return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
    };
    // A first scrape reads data of its own (a new data version); later ones do not.
    await counted();
    await untilHit('a stored partner answer', () => post(GPUS, partner, { first: 3 }));
    const before = await counted();
    const named = await post(GPUS, { ...partner, 'x-request-id': 'sf-hit-1' }, { first: 3 });
    const unnamed = await post(GPUS, partner, { first: 3 });
    expect([named.cache, named.requestId]).toEqual(['hit', 'sf-hit-1']);
    expect(unnamed.cache).toBe('hit');
    expect(unnamed.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await counted()).toBe(before + 2);
    // Info lines are off at warn: no access line, as through Express.
    expect(lines.filter((l) => l.includes('sf-hit-1'))).toEqual([]);
  });
});
