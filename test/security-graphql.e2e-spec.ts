import type WebSocket from 'ws';
import { apiKeyEntry, type TestKey } from './harness/api-keys';
import { HEADERS } from './harness/auth-fixture';
import { gql } from './harness/graphql-client';
import { type RunningRedis, startRedis } from './harness/redis';
import type { Stack } from './harness/stack';
import { rawWs, SocketPool, type WsConnection } from './harness/ws-client';
import { useAuthStack } from './harness/use-stack';

/** `query Q { ...F0 }` where each fragment spreads the next four times: 4^levels `__typename` once expanded. */
function fragmentBomb(levels: number): string {
  const fragments = Array.from(
    { length: levels },
    (_, i) => `fragment F${i} on Query { ${`...F${i + 1} `.repeat(4)}}`,
  );
  return `query Q { ...F0 }\n${fragments.join('\n')}\nfragment F${levels} on Query { __typename }`;
}

const aliased = (n: number, selection: string) =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${selection}`).join(' ')} }`;

const METERED: TestKey = {
  name: 'metered',
  secret: 'kc_metered_5c6d7e8f',
  role: 'viewer',
  rateLimitPerMinute: 100,
};

/**
 * GraphQL cost and denial of service (issue 10), in production mode with real keys, over HTTP and graphql-ws: a
 * document's shape is bounded before anything walks it with its fragments expanded, both transports apply the same
 * limits and introspection switch, WebSocket frames are capped, and upstream reads are charged on the rate limit.
 */
describe('GraphQL cost limits over HTTP and graphql-ws (production, real Prometheus + fleet-sim)', () => {
  const sockets = new SocketPool();
  const { stack } = useAuthStack({ NODE_ENV: 'production' }, [apiKeyEntry(METERED)], {
    closeFirst: () => sockets.disposeAll(),
  });

  const partnerWs = async () => {
    const c = sockets.connect(stack.url, HEADERS.partner);
    await c.connected;
    return c;
  };
  const wsErrors = async (c: WsConnection, query: string) => {
    const sub = c.subscribe(query);
    await sub.done;
    const failure = await Promise.race([sub.failure, Promise.resolve(undefined)]);
    return {
      errors: (failure ?? sub.events.flatMap((e) => e.errors ?? [])) as {
        message: string;
        extensions?: Record<string, unknown>;
      }[],
      events: sub.events,
    };
  };

  it('refuses a 16-level fragment bomb from a viewer with 400 naming the limit, while /health/live keeps answering', async () => {
    const started = Date.now();
    const [bomb, live] = await Promise.all([
      gql(stack.url, fragmentBomb(16), {}, HEADERS.viewer).then((r) => ({ ...r, ms: Date.now() - started })),
      fetch(`${stack.url}/health/live`).then((r) => ({ status: r.status, ms: Date.now() - started })),
    ]);
    expect(bomb.status).toBe(400);
    expect(bomb.errors?.[0]?.message).toMatch(
      /fields once fragments are expanded, more than the maximum of 2000/,
    );
    expect(bomb.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      limit: 'GRAPHQL_MAX_SELECTIONS',
      max: 2000,
    });
    expect(bomb.ms).toBeLessThan(2_000);
    expect(live).toEqual({ status: 200, ms: expect.any(Number) });
    expect(live.ms).toBeLessThan(2_000);
  });

  it('refuses the same bomb over graphql-ws, and the socket stays usable', async () => {
    const c = await partnerWs();
    const started = Date.now();
    const { errors } = await wsErrors(c, fragmentBomb(16));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'GRAPHQL_MAX_SELECTIONS' });
    const { events } = await wsErrors(c, '{ __typename }');
    expect(events).toEqual([{ data: { __typename: 'Query' } }]);
  });

  it('refuses one field repeated thousands of times before validation compares every pair', async () => {
    const started = Date.now();
    const res = await gql(stack.url, `{ ${'system { version } '.repeat(900)}}`, {}, HEADERS.viewer);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      limit: 'FIELD_REPEATS',
      max: 50,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses a document over the token cap with 400 GRAPHQL_MAX_TOKENS', async () => {
    const res = await gql(stack.url, `{ system { ${'version '.repeat(10_001)}} }`, {}, HEADERS.viewer);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]).toMatchObject({
      message: 'the document has more than 10000 tokens',
      extensions: { code: 'BAD_USER_INPUT', limit: 'GRAPHQL_MAX_TOKENS' },
    });
  });

  it('refuses an alias flood over HTTP and graphql-ws with GRAPHQL_MAX_ALIASES, and admits 100 aliases', async () => {
    const flood = aliased(101, 'system { version }');
    const http = await gql(stack.url, flood, {}, HEADERS.viewer);
    expect(http.status).toBe(400);
    expect(http.errors?.[0]).toMatchObject({
      message: 'query has 101 aliased fields, more than the maximum of 100',
      extensions: { code: 'BAD_USER_INPUT', limit: 'GRAPHQL_MAX_ALIASES', max: 100, actual: 101 },
    });
    const { errors } = await wsErrors(await partnerWs(), flood);
    expect(errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'GRAPHQL_MAX_ALIASES' });
    expect((await gql(stack.url, aliased(100, 'system { version }'), {}, HEADERS.viewer)).status).toBe(200);
    // The message of the review (1,000 `__schema` aliases raised RSS by 290 MB): refused by its aliases on both transports.
    const schemaFlood = aliased(1_000, '__schema { types { name } }');
    expect((await gql(stack.url, schemaFlood, {}, HEADERS.partner)).errors?.[0]?.extensions).toMatchObject({
      limit: 'GRAPHQL_MAX_ALIASES',
      actual: 1_000,
    });
    expect((await wsErrors(await partnerWs(), schemaFlood)).errors[0]?.extensions).toMatchObject({
      limit: 'GRAPHQL_MAX_ALIASES',
      actual: 1_000,
    });
  });

  it('refuses introspection over graphql-ws as over HTTP when GRAPHQL_INTROSPECTION is off (production default)', async () => {
    const query = '{ __schema { types { name } } }';
    const http = await gql(stack.url, query, {}, HEADERS.partner);
    expect(http.status).toBe(400);
    expect(http.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const { errors, events } = await wsErrors(await partnerWs(), query);
    expect(events.filter((e) => e.data)).toEqual([]);
    expect(errors[0]).toMatchObject({
      message: expect.stringMatching(/introspection has been disabled/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    // __typename is not introspection.
    expect((await wsErrors(await partnerWs(), '{ __typename }')).events[0]?.data).toEqual({
      __typename: 'Query',
    });
  });

  it('closes a socket sending a frame over WS_MAX_PAYLOAD_KB (64 KiB) with 1009, before connection_init', async () => {
    const { ws, closed } = await rawWs(stack.url);
    ws.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(100 * 1024) } }));
    expect((await closed).code).toBe(1009);
    // A frame under the cap is read as usual.
    const ok = await rawWs(stack.url);
    ok.ws.send(
      JSON.stringify({
        type: 'connection_init',
        payload: { ...HEADERS.partner, pad: 'x'.repeat(32 * 1024) },
      }),
    );
    const ack = await new Promise<string>((resolve) =>
      ok.ws.once('message', (data: WebSocket.RawData) => resolve(data.toString())),
    );
    expect(JSON.parse(ack)).toMatchObject({ type: 'connection_ack' });
    ok.ws.close();
  });

  it('charges aliased long-range energy reads on the rate limit by their upstream units: 429 before any scan', () =>
    chargesEnergyAliases(stack));
});

describe('upstream units on the rate limit shared through Redis (production)', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  const { stack } = useAuthStack(
    () => ({ NODE_ENV: 'production', REDIS_URL: redis.url }),
    [apiKeyEntry(METERED)],
  );
  // Declared after useAuthStack, so it runs once the stack is closed.
  afterAll(async () => redis?.stop());

  it('charges aliased long-range energy reads by their units in the Redis counter too', () =>
    chargesEnergyAliases(stack));
});

/** A one-hour energy read (2 units) passes a 100-unit key; three aliases of 30 days (3 × 45 units) are refused. */
async function chargesEnergyAliases(stack: Stack): Promise<void> {
  const headers = { authorization: `Bearer ${METERED.secret}` };
  // 30 days at the default 60 s step: 43,200 points, 1 + 44 units per alias; three aliases = 135 > 100 per minute.
  const energy = (i: number) =>
    `energy(groupBy: NAMESPACE, range: { from: "2024-07-01T00:00:00Z", to: "2024-07-31T00:00:0${i}Z" }) { totalEnergyJoules }`;
  const hour = await gql(
    stack.url,
    `{ energy(groupBy: NAMESPACE, range: { from: "2024-07-01T00:00:00Z", to: "2024-07-01T01:00:00Z" }) { totalEnergyJoules } }`,
    {},
    headers,
  );
  expect(hour.status).toBe(200);
  const res = await gql(
    stack.url,
    `{ ${[0, 1, 2].map((i) => `e${i}: ${energy(i)}`).join(' ')} }`,
    {},
    headers,
  );
  expect(res.status).toBe(429);
  expect(res.errors?.[0]).toMatchObject({
    message: expect.stringMatching(/^rate limit of 100 requests per minute exceeded/),
    extensions: { code: 'RATE_LIMITED' },
  });
  expect(res.data).toBeUndefined();
  // Another key's budget is its own.
  expect((await gql(stack.url, '{ system { version } }', {}, HEADERS.viewer)).status).toBe(200);
}
