import { HEADERS, SECRETS, THROTTLED_LIMIT_PER_MINUTE } from './harness/auth-fixture';
import { postGraphql } from './harness/graphql-client';
import { useAuthStack } from './harness/use-stack';

/**
 * The whole-answer response cache on the real path (fleet-sim → Prometheus → API with keys): answers are shared only
 * between callers of the same role and scope, an installed analysis drops them, and a cached answer is still admitted
 * and charged by the rate limiter. `x-response-cache` says whether an answer came from the cache.
 */
describe('GraphQL response cache (real Prometheus + fleet-sim, API keys)', () => {
  // The auth stack turns the realtime TTL off (fresh reads); the response cache never outlives that class.
  const auth = useAuthStack({ CACHE_TTL_REALTIME_SECONDS: '300', RESPONSE_CACHE_TTL_SECONDS: '300' });
  const { stack } = auth;

  interface ScoreNode {
    readonly uuid: string;
    readonly namespace: string | null;
    readonly cluster: string;
    readonly computedAt: string;
  }
  interface Answer {
    readonly data: { readonly gpuScores: { readonly edges: readonly { readonly node: ScoreNode }[] } };
    readonly errors?: readonly unknown[];
  }

  const post = async (
    query: string,
    headers: Record<string, string>,
    variables: Record<string, unknown> = {},
  ) => {
    const res = await postGraphql(stack.url, query, variables, headers);
    const text = await res.text();
    return {
      status: res.status,
      cache: res.headers.get('x-response-cache'),
      text,
      body: JSON.parse(text) as Answer,
    };
  };

  const SCORES = `query Scores($first: Int) { gpuScores(first: $first) { totalCount edges { node { uuid namespace cluster computedAt } } } }`;
  const namespacesOf = (body: Answer): (string | null)[] =>
    [...new Set(body.data.gpuScores.edges.map((e) => e.node.namespace))].sort();
  const clustersOf = (body: Answer): string[] =>
    [...new Set(body.data.gpuScores.edges.map((e) => e.node.cluster))].sort();

  it('never serves one scope’s answer to another, and shares an answer within one scope', async () => {
    await post(`mutation { triggerAnalysis { gpuCount } }`, HEADERS.admin);
    const admin = await post(SCORES, HEADERS.admin, { first: 1000 });
    expect(admin.status).toBe(200);
    expect(admin.cache).toBe('miss');
    expect(namespacesOf(admin.body).length).toBeGreaterThan(1);

    const partner = await post(SCORES, HEADERS.partner, { first: 1000 });
    expect(partner.cache).toBe('miss');
    expect(partner.text).not.toBe(admin.text);
    expect(namespacesOf(partner.body)).toEqual([auth.scopes.partnerNamespace]);

    const viewer = await post(SCORES, HEADERS.viewer, { first: 1000 });
    expect(viewer.cache).toBe('miss');
    expect(clustersOf(viewer.body)).toEqual([auth.scopes.viewerCluster]);

    // Same question again, same keys: served from the cache, each key its own answer.
    const adminAgain = await post(SCORES, HEADERS.admin, { first: 1000 });
    const partnerAgain = await post(SCORES, HEADERS.partner, { first: 1000 });
    const viewerAgain = await post(SCORES, HEADERS.viewer, { first: 1000 });
    expect([adminAgain.cache, partnerAgain.cache, viewerAgain.cache]).toEqual(['hit', 'hit', 'hit']);
    expect(adminAgain.text).toBe(admin.text);
    expect(partnerAgain.text).toBe(partner.text);
    expect(viewerAgain.text).toBe(viewer.text);

    // Another key with the partner's role and scope may share its answer; it still sees only that namespace.
    const throttled = await post(SCORES, { authorization: `Bearer ${SECRETS.throttled}` }, { first: 1000 });
    expect(throttled.status).toBe(200);
    expect(namespacesOf(throttled.body)).toEqual([auth.scopes.partnerNamespace]);

    // Variables are part of the key.
    const smaller = await post(SCORES, HEADERS.partner, { first: 1 });
    expect(smaller.cache).toBe('miss');
    expect(smaller.body.data.gpuScores.edges).toHaveLength(1);
  });

  it('drops cached answers when an analysis is installed', async () => {
    const before = await post(SCORES, HEADERS.viewer, { first: 5 });
    const cached = await post(SCORES, HEADERS.viewer, { first: 5 });
    expect(cached.cache).toBe('hit');
    const computedAt = before.body.data.gpuScores.edges[0]!.node.computedAt;

    const run = await post(`mutation { triggerAnalysis { gpuCount } }`, HEADERS.admin);
    expect(run.status).toBe(200);
    const after = await post(SCORES, HEADERS.viewer, { first: 5 });
    expect(after.cache).toBe('miss');
    expect(new Date(after.body.data.gpuScores.edges[0]!.node.computedAt).getTime()).toBeGreaterThan(
      new Date(computedAt).getTime(),
    );
  });

  it('still rate-limits (and charges) a caller whose answers come from the cache', async () => {
    const throttled = { 'x-api-key': SECRETS.throttled };
    const QUERY = `{ gpuScoreStats { total idleCount } }`;
    const answers: { status: number; cache: string | null }[] = [];
    for (let i = 0; i < THROTTLED_LIMIT_PER_MINUTE + 2; i++) {
      const { status, cache } = await post(QUERY, throttled);
      answers.push({ status, cache });
      if (status === 429) break;
    }
    const served = answers.filter((a) => a.status === 200);
    expect(served.some((a) => a.cache === 'hit')).toBe(true);
    expect(served.length).toBeLessThanOrEqual(THROTTLED_LIMIT_PER_MINUTE);
    expect(answers[answers.length - 1]!.status).toBe(429);
  });

  it('never caches a mutation nor an answer with errors', async () => {
    const bad = `{ gpuScore(uuid: "GPU-does-not-exist") { uuid } }`;
    const first = await post(bad, HEADERS.admin);
    expect(first.body.errors?.length).toBeGreaterThan(0);
    const second = await post(bad, HEADERS.admin);
    expect(second.cache).not.toBe('hit');
    const mutation = await post(`mutation { triggerAnalysis { gpuCount } }`, HEADERS.admin);
    expect(mutation.cache).toBeNull();
  });
});
