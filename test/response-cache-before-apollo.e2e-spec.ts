import { GraphqlAccess } from '@kcloud/auth';
import {
  HEADERS,
  type Scopes,
  SECRETS,
  startAuthStack,
  THROTTLED_LIMIT_PER_MINUTE,
} from './harness/auth-fixture';
import { postGraphql } from './harness/graphql-client';
import type { Stack } from './harness/stack';

/**
 * Response-cache hits served before Apollo (responseCacheHandler), on a production-mode app over real HTTP with API
 * keys: a hit never crosses scopes, is admitted and charged the stored operation's upstream units (so it is still
 * rate-limited), misses once the data version changed, and carries Apollo's headers plus Cache-Control/ETag, with
 * 304 to a conditional GET. "Before Apollo" is observed as the GraphQL context factory not running for the hit.
 */
describe('GraphQL response-cache hits before Apollo (production mode, real HTTP, API keys)', () => {
  let stack: Stack;
  let scopes: Scopes;
  let contexts: jest.SpyInstance;

  beforeAll(async () => {
    ({ stack, scopes } = await startAuthStack({
      NODE_ENV: 'production',
      CACHE_TTL_REALTIME_SECONDS: '300',
      RESPONSE_CACHE_TTL_SECONDS: '300',
    }));
    contexts = jest.spyOn(stack.app.get(GraphqlAccess), 'context');
  });
  afterAll(async () => {
    contexts?.mockRestore();
    await stack?.close();
  });

  interface Answer {
    readonly data?: {
      readonly gpuScores?: {
        readonly edges: readonly { readonly node: { namespace: string | null; cluster: string } }[];
      };
    };
    readonly errors?: readonly { readonly extensions?: { readonly code?: string } }[];
  }

  const post = async (
    query: string,
    headers: Record<string, string>,
    variables: Record<string, unknown> = {},
  ) => {
    const before = contexts.mock.calls.length;
    const res = await postGraphql(stack.url, query, variables, headers);
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      cache: res.headers.get('x-response-cache'),
      text,
      body: JSON.parse(text) as Answer,
      throughApollo: contexts.mock.calls.length > before,
    };
  };

  const SCORES = `query Scores($first: Int) { gpuScores(first: $first) { totalCount edges { node { uuid namespace cluster } } } }`;
  const namespaces = (a: Answer) =>
    [...new Set(a.data!.gpuScores!.edges.map((e) => e.node.namespace))].sort();
  const clusters = (a: Answer) => [...new Set(a.data!.gpuScores!.edges.map((e) => e.node.cluster))].sort();

  it('serves a scope’s stored answer before Apollo, only to that scope, with Apollo’s headers plus Cache-Control and ETag', async () => {
    await post(`mutation { triggerAnalysis { gpuCount } }`, HEADERS.admin);
    const admin = await post(SCORES, HEADERS.admin, { first: 500 });
    const partner = await post(SCORES, HEADERS.partner, { first: 500 });
    const viewer = await post(SCORES, HEADERS.viewer, { first: 500 });
    expect([admin.cache, partner.cache, viewer.cache]).toEqual(['miss', 'miss', 'miss']);
    expect([admin.throughApollo, partner.throughApollo, viewer.throughApollo]).toEqual([true, true, true]);
    expect(namespaces(admin.body).length).toBeGreaterThan(1);
    expect(namespaces(partner.body)).toEqual([scopes.partnerNamespace]);
    expect(clusters(viewer.body)).toEqual([scopes.viewerCluster]);

    const again = {
      admin: await post(SCORES, HEADERS.admin, { first: 500 }),
      partner: await post(SCORES, HEADERS.partner, { first: 500 }),
      viewer: await post(SCORES, HEADERS.viewer, { first: 500 }),
    };
    for (const [who, first] of [
      ['admin', admin],
      ['partner', partner],
      ['viewer', viewer],
    ] as const) {
      const hit = again[who];
      expect([who, hit.status, hit.cache, hit.throughApollo]).toEqual([who, 200, 'hit', false]);
      expect(hit.text).toBe(first.text);
      expect(hit.headers.get('etag')).toBe(first.headers.get('etag'));
    }
    expect(new Set([again.admin.text, again.partner.text, again.viewer.text]).size).toBe(3);

    // The hit carries what Apollo's answer carried (security headers, content type), plus the cache's own.
    const names = (h: Headers) => {
      const all: string[] = [];
      h.forEach((_value, name) => all.push(name));
      return all.filter((n) => n !== 'date').sort();
    };
    expect(names(again.partner.headers)).toEqual(names(partner.headers));
    expect(again.partner.headers.get('content-type')).toBe(partner.headers.get('content-type'));
    expect(again.partner.headers.get('x-content-type-options')).toBe('nosniff');
    expect(again.partner.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
    expect(Number(/max-age=(\d+)/.exec(again.partner.headers.get('cache-control')!)![1])).toBeLessThanOrEqual(
      300,
    );
    expect(again.partner.headers.get('etag')).toMatch(/^"[^"]+"$/);
    expect(again.partner.headers.get('vary')).toMatch(/Authorization, X-API-Key/);

    // Another key of the partner's role and scope shares the answer, before Apollo too; an unknown key gets Apollo's 401.
    const sameScope = await post(SCORES, { authorization: `Bearer ${SECRETS.throttled}` }, { first: 500 });
    expect([sameScope.cache, sameScope.throughApollo, sameScope.text]).toEqual(['hit', false, partner.text]);
    const stranger = await post(SCORES, { authorization: 'Bearer kc_nobody_000' }, { first: 500 });
    expect(stranger.status).toBe(401);
    expect(stranger.text).not.toContain('gpuScores');
  });

  it('answers 304 to a conditional GET of the stored answer, charged like the answer', async () => {
    const first = await post(SCORES, HEADERS.viewer, { first: 3 });
    const etag = first.headers.get('etag')!;
    const url = `${stack.url}/graphql?query=${encodeURIComponent(SCORES)}&variables=${encodeURIComponent('{"first":3}')}`;
    const get = (headers: Record<string, string>) =>
      fetch(url, { headers: { ...HEADERS.viewer, 'apollo-require-preflight': 'true', ...headers } });
    const notModified = await get({ 'if-none-match': etag });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    const full = await get({});
    expect([full.status, full.headers.get('x-response-cache'), await full.text()]).toEqual([
      200,
      'hit',
      first.text,
    ]);
    // Another scope's conditional GET with this tag gets its own answer, never a 304 for someone else's data.
    const partner = await fetch(url, {
      headers: { ...HEADERS.partner, 'apollo-require-preflight': 'true', 'if-none-match': etag },
    });
    expect(partner.status).toBe(200);
    expect(await partner.text()).not.toBe(first.text);
  });

  it('misses once the data version changed (an analysis installed)', async () => {
    const before = await post(SCORES, HEADERS.viewer, { first: 5 });
    const cached = await post(SCORES, HEADERS.viewer, { first: 5 });
    expect([before.cache === 'miss' || before.cache === 'hit', cached.cache, cached.throughApollo]).toEqual([
      true,
      'hit',
      false,
    ]);
    expect((await post(`mutation { triggerAnalysis { gpuCount } }`, HEADERS.admin)).status).toBe(200);
    const after = await post(SCORES, HEADERS.viewer, { first: 5 });
    expect([after.cache, after.throughApollo]).toEqual(['miss', true]);
  });

  it('charges a hit the stored operation’s upstream units: still rate-limited', async () => {
    // Two upstream reads: 2 units a request. The throttled key has 3 a minute: the miss spends 2, so a hit charged
    // its stored cost is refused (2 + 2 > 3), where a hit charged 1 unit would have been served.
    const TWO_READS = `{ a: gpus(first: 1) { totalCount } b: gpus(first: 2) { totalCount } }`;
    expect(THROTTLED_LIMIT_PER_MINUTE).toBe(3);
    const throttled = { 'x-api-key': SECRETS.throttled };
    // A scope's first read of the GPU snapshot moves the data version: an answer built from it is stored under the
    // version its request started with, so the scope's snapshot is read first (the partner: same scope, its own budget).
    expect((await post(TWO_READS, HEADERS.partner)).status).toBe(200);
    const miss = await post(TWO_READS, throttled);
    expect([miss.status, miss.cache, miss.body.errors]).toEqual([200, 'miss', undefined]);
    const refused = await post(TWO_READS, throttled);
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.text).not.toContain('totalCount');
    // Another key of the same scope, with budget left, is served that same stored answer.
    const partner = await post(TWO_READS, HEADERS.partner);
    expect([partner.status, partner.cache, partner.throughApollo, partner.text]).toEqual([
      200,
      'hit',
      false,
      miss.text,
    ]);
  });
});
