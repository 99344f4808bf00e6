import { apiKeyEntry, type TestKey } from './harness/api-keys';
import { HEADERS } from './harness/auth-fixture';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { useAuthStack } from './harness/use-stack';

/**
 * Hostile review of the session-3 surfaces (response cache before Apollo, cluster labels, idle accounting and reclaim
 * recommendations), production mode with real keys over real HTTP: each case failed before its fix.
 */
const METERED: TestKey = {
  name: 'metered-s3',
  secret: 'kc_metered_s3_7a8b9c0d',
  role: 'viewer',
  rateLimitPerMinute: 50,
};

describe('session-3 surfaces under hostile callers (production, real Prometheus + fleet-sim, API keys)', () => {
  const auth = useAuthStack(
    { NODE_ENV: 'production', CACHE_TTL_REALTIME_SECONDS: '300', RESPONSE_CACHE_TTL_SECONDS: '300' },
    [apiKeyEntry(METERED)],
  );
  const { stack } = auth;

  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${stack.url}/graphql`, { method: 'POST', headers, body }).then(async (res) => ({
      status: res.status,
      cache: res.headers.get('x-response-cache'),
      etag: res.headers.get('etag'),
      text: await res.text(),
    }));

  it('refuses a form-encoded POST (a cross-site form needs no preflight) as Apollo does, even when its answer is cached', async () => {
    const query = '{ gpus(first: 5) { totalCount edges { node { uuid namespace } } } }';
    const json = { 'content-type': 'application/json', ...HEADERS.partner };
    const form = { 'content-type': 'application/x-www-form-urlencoded', ...HEADERS.partner };
    const asJson = () => post(JSON.stringify({ query }), json);
    const asForm = (extra: Record<string, string> = {}) =>
      post(new URLSearchParams({ query }).toString(), { ...form, ...extra });
    // The form post sits between two hits of the same stored answer (same ETag: no data version changed in between),
    // so the stored answer was there to be served to it.
    const { csrf, preflighted } = await pollUntil(
      'a form post between two hits of one stored answer',
      async () => {
        const before = await asJson();
        const csrf = await asForm();
        const preflighted = await asForm({ 'apollo-require-preflight': '1' });
        const after = await asJson();
        return before.cache === 'hit' && after.cache === 'hit' && before.etag === after.etag
          ? { csrf, preflighted }
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    // Before the fix the stored answer went out (200, hit): Apollo's CSRF prevention applies to POST as to GET.
    expect({ status: csrf.status, cache: csrf.cache }).toEqual({ status: 400, cache: null });
    expect(csrf.text).toMatch(/Cross-Site Request Forgery/);
    expect(csrf.text).not.toContain(auth.scopes.partnerNamespace);
    // With a preflight header the same form post is one Apollo would answer, so the stored answer may stand for it.
    expect({ status: preflighted.status, cache: preflighted.cache }).toEqual({ status: 200, cache: 'hit' });
  });

  it('answers another scope’s conditional GET with its own full answer, never a 304 for an answer it cannot see', async () => {
    const query = '{ gpus(first: 3) { totalCount edges { node { uuid } } } }';
    const json = { 'content-type': 'application/json' };
    const get = (headers: Record<string, string>) =>
      fetch(`${stack.url}/graphql?${new URLSearchParams({ query })}`, { headers: { ...json, ...headers } });
    const partnerTag = await pollUntil('the partner’s answer stored', async () => {
      const r = await post(JSON.stringify({ query }), { ...json, ...HEADERS.partner });
      return r.cache === 'hit' ? r.etag : undefined;
    });
    expect((await get({ ...HEADERS.partner, 'if-none-match': partnerTag! })).status).toBe(304);
    // '*' first: the viewer has no stored answer of its own yet, so only the partner's could have matched it.
    for (const tag of ['*', partnerTag!]) {
      const viewer = await get({ ...HEADERS.viewer, 'if-none-match': tag });
      expect(viewer.status).toBe(200);
      expect(viewer.headers.get('etag')).not.toBe(partnerTag);
      expect(await viewer.text()).not.toContain(auth.scopes.partnerNamespace);
    }
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'groups powerBreakdown by clusterLabel %p (a valid label name no cluster carries) under the empty key, not a 5xx',
    async (label) => {
      const query = `query($label: String) { powerBreakdown(groupBy: CLUSTER, clusterLabel: $label) { key watts } }`;
      const byCluster = await gql<{ powerBreakdown: { key: string; watts: number }[] }>(
        stack.url,
        '{ powerBreakdown(groupBy: CLUSTER) { key watts } }',
        {},
        HEADERS.viewer,
      );
      const res = await gql<{ powerBreakdown: { key: string; watts: number }[] }>(
        stack.url,
        query,
        { label },
        HEADERS.viewer,
      );
      expect(res.errors).toBeUndefined();
      const total = byCluster.data!.powerBreakdown.reduce((s, g) => s + g.watts, 0);
      expect(res.data!.powerBreakdown).toEqual([{ key: '', watts: expect.any(Number) }]);
      expect(res.data!.powerBreakdown[0]?.watts).toBeCloseTo(total, 6);
    },
  );

  it('answers 100 aliases of idleUsage over 9,999 h from a viewer in bounded time while /health/live keeps answering', async () => {
    // Each alias spanned ~10,000 ledger buckets, each read from SharedState once per alias: 1,000,000 reads from one
    // 30 kB request (before the fix: the connection reset after 35 s in memory mode, ~200 s with Redis).
    const to = Date.now();
    const aliases = Array.from({ length: 100 }, (_, i) => {
      const range = `{ from: "${new Date(to - 9_999 * 3_600_000 - i * 1000).toISOString()}", to: "${new Date(to - i * 1000).toISOString()}" }`;
      return `a${i}: idleUsage(range: ${range}, groupBy: NODE) { key idleGpuHours }`;
    });
    const started = Date.now();
    const [res, live] = await Promise.all([
      gql<Record<string, unknown[]>>(stack.url, `{ ${aliases.join(' ')} }`, {}, HEADERS.viewer).then((r) => ({
        ...r,
        ms: Date.now() - started,
      })),
      new Promise((r) => setTimeout(r, 100))
        .then(() => fetch(`${stack.url}/health/live`))
        .then((r) => ({ status: r.status, ms: Date.now() - started - 100 })),
    ]);
    expect(res.errors).toBeUndefined();
    expect(Object.keys(res.data!)).toHaveLength(100);
    expect(res.ms).toBeLessThan(20_000);
    expect(live.status).toBe(200);
    expect(live.ms).toBeLessThan(10_000);
  });

  it('charges each alias of unmatchedGpuRequests (a kube-state-metrics read per cluster) on the rate limit', async () => {
    // Before the fix 60 aliases cost one unit of a 50-per-minute key and sent 60 × clusters Prometheus queries.
    const headers = { authorization: `Bearer ${METERED.secret}` };
    const one = await gql(stack.url, '{ unmatchedGpuRequests { pod } }', {}, headers);
    expect(one.status).toBe(200);
    const flood = `{ ${Array.from({ length: 60 }, (_, i) => `u${i}: unmatchedGpuRequests { pod }`).join(' ')} }`;
    const res = await gql(stack.url, flood, {}, headers);
    expect(res.status).toBe(429);
    expect(res.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('keeps every stored answer when a refused or failed mutation changed nothing (a viewer or partner cannot flush the cache)', async () => {
    const query = '{ gpus(first: 2) { totalCount edges { node { uuid } } } }';
    const json = { 'content-type': 'application/json' };
    const stored = await pollUntil('the admin’s answer stored', async () => {
      const r = await post(JSON.stringify({ query }), { ...json, ...HEADERS.admin });
      return r.cache === 'hit' ? r.etag : undefined;
    });
    const refused = [
      // FORBIDDEN: a viewer may run no mutation.
      { who: HEADERS.viewer, mutation: 'mutation { triggerAnalysis { gpuCount } }' },
      // NOT_FOUND: the partner's own mutation on a GPU without a recommendation changes nothing.
      {
        who: HEADERS.partner,
        mutation: 'mutation { acknowledgeRecommendation(gpuId: "no-such-gpu", hours: 1) { gpuId } }',
      },
    ];
    for (const { who, mutation } of refused) {
      const res = await post(JSON.stringify({ query: mutation }), { ...json, ...who });
      expect(res.text).toMatch(/"code":"(FORBIDDEN|NOT_FOUND)"/);
      const again = await post(JSON.stringify({ query }), { ...json, ...HEADERS.admin });
      expect({ cache: again.cache, etag: again.etag }).toEqual({ cache: 'hit', etag: stored });
    }
  });
});
