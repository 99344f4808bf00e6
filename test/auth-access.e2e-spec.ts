import { getNamedType, type GraphQLSchema } from 'graphql';
import { apiKeyEntry } from './harness/api-keys';
import { HEADERS, SECRETS, sha256Hex, THROTTLED_LIMIT_PER_MINUTE } from './harness/auth-fixture';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { getRoute, restRoutes } from './harness/rest-routes';
import { argSites, fetchSchema, operationFor, rootFields } from './harness/schema-probe';
import { rawWs, SocketPool } from './harness/ws-client';
import { at } from './harness/indexed';
import { useAuthStack } from './harness/use-stack';

const MAX_SUBSCRIPTIONS = 3;
const COMPLEXITY = 50_000;
const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

/** Authentication, roles and abuse limits over HTTP, GraphQL and graphql-ws, against the real stack. */
describe('access control: keys, roles and abuse limits (real Prometheus + fleet-sim)', () => {
  let schema: GraphQLSchema;
  let dataRoute: string;
  const sockets = new SocketPool();
  const auth = useAuthStack(
    {
      MAX_SUBSCRIPTIONS_PER_KEY: String(MAX_SUBSCRIPTIONS),
      GRAPHQL_MAX_COMPLEXITY: String(COMPLEXITY),
      REQUEST_BODY_LIMIT_KB: '64',
      CORS_ORIGINS: 'https://dashboard.example',
      // Subscriptions emit within a second, so an accepted subscription proves itself by its first event.
      ANALYZER_INTERVAL_SECONDS: '1',
    },
    [
      apiKeyEntry({
        name: 'expired',
        secret: SECRETS.expired,
        role: 'admin',
        expiresAt: '2020-01-01T00:00:00Z',
      }),
    ],
    { closeFirst: () => sockets.disposeAll() },
  );
  const { stack } = auth;

  beforeAll(async () => {
    schema = await fetchSchema(stack.url, HEADERS.admin);
    dataRoute = restRoutes(stack.app)
      .find((r) => r.method === 'GET' && r.path.startsWith('/api/v1/export'))!
      .path.replace(':dataset', 'gpus');
  });

  const ws = (params?: Record<string, unknown>) => sockets.connect(stack.url, params);
  const firstSubscription = () =>
    operationFor('subscription', at(rootFields(schema, 'subscription'), 0, 'subscription field'));

  it.each([
    ['no credentials', {}],
    ['a wrong key', { authorization: 'Bearer kc_wrong' }],
    ['a wrong X-API-Key', { 'x-api-key': 'kc_wrong' }],
    ['a key hash instead of the key', { authorization: `Bearer ${sha256Hex(SECRETS.admin)}` }],
    ['an unknown scheme', { authorization: `Token ${SECRETS.admin}` }],
    ['a wrong Basic password', basic(SECRETS.seedUser, 'nope')],
    ['an expired key', { authorization: `Bearer ${SECRETS.expired}` }],
  ])(
    'answers GraphQL with %s by 401 UNAUTHENTICATED before anything runs, introspection included',
    async (_name, headers) => {
      for (const query of ['{ gpus { totalCount } }', '{ __schema { queryType { name } } }']) {
        const res = await fetch(`${stack.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query }),
        });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
        const body = (await res.json()) as { data?: unknown; errors: { extensions: { code: string } }[] };
        expect(body.data).toBeUndefined();
        expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
      }
    },
  );

  it('lets partners and admins open the SSE stream and refuses viewers with 403 FORBIDDEN', async () => {
    const sse = restRoutes(stack.app).find((r) => r.method === 'GET' && r.path.includes('/stream/'))!.path;
    const viewer = await getRoute(`${stack.url}${sse}`, HEADERS.viewer);
    expect(viewer.status).toBe(403);
    expect(JSON.parse(viewer.body)).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['partner'] });
    for (const who of ['partner', 'admin'] as const) {
      const res = await getRoute(`${stack.url}${sse}`, HEADERS[who], { sseEvents: 1 });
      expect({ who, status: res.status, events: res.events.length > 0 }).toEqual({
        who,
        status: 200,
        events: true,
      });
    }
  });

  it('answers REST routes without a valid key by 401 JSON naming UNAUTHENTICATED', async () => {
    for (const headers of [{}, { authorization: 'Bearer kc_wrong' }] as Record<string, string>[]) {
      const res = await fetch(`${stack.url}${dataRoute}`, { headers });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    }
  });

  it('accepts the seed admin account over HTTP Basic', async () => {
    const res = await gql<{ gpus: { totalCount: number } }>(
      stack.url,
      '{ gpus { totalCount } }',
      {},
      basic(SECRETS.seedUser, SECRETS.seedPassword),
    );
    expect(res.data!.gpus.totalCount).toBe(stack.model.gpus().length);
  });

  it('keeps the probes open and /metrics behind its own token, never an API key', async () => {
    for (const path of ['/health/live', '/health/ready', '/api/v1/system/health'])
      expect((await fetch(`${stack.url}${path}`)).status).toBe(200);
    expect(await (await fetch(`${stack.url}/api/v1/system/health`)).text()).not.toMatch(/http:\/\//);
    expect((await fetch(`${stack.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${stack.url}/metrics`, { headers: HEADERS.admin })).status).toBe(401);
    const ok = await fetch(`${stack.url}/metrics`, {
      headers: { authorization: `Bearer ${SECRETS.metrics}` },
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^process_cpu_seconds_total/m);
  });

  it('refuses a partner mutation with FORBIDDEN over HTTP and over graphql-ws', async () => {
    // acknowledgeRecommendation is a partner's own mutation (within its scope); every other one is an admin's.
    const mutation = rootFields(schema, 'mutation').find((f) => f.name !== 'acknowledgeRecommendation');
    if (!mutation) throw new Error('the schema has no admin mutation');
    const op = operationFor('mutation', mutation);
    const http = await gql(stack.url, op.document, op.variables, HEADERS.partner);
    expect(http.errors?.[0]?.extensions!.code).toBe('FORBIDDEN');
    expect(http.errors?.[0]?.message).toMatch(/role 'partner' may not run mutation/);
    const socket = ws(HEADERS.partner);
    await socket.connected;
    const sub = socket.subscribe(op.document, op.variables);
    await sub.done;
    expect(sub.events[0]?.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', requiredRoles: ['admin'] });
  });

  it.each([
    ['no connectionParams', 4401, undefined],
    ['no authorization', 4401, {}],
    ['a wrong key', 4401, { authorization: 'Bearer kc_wrong' }],
    ['an expired key', 4401, { authorization: `Bearer ${SECRETS.expired}` }],
    ['the viewer key (viewers read, they do not subscribe)', 4403, HEADERS.viewer],
  ])(
    'closes a socket whose connection_init carries %s with %d before any subscription starts',
    async (_name, code, params) => {
      const socket = ws(params);
      const op = firstSubscription();
      const sub = socket.subscribe(op.document, op.variables);
      expect((await socket.closed).code).toBe(code);
      await sub.done;
      expect(sub.events).toEqual([]);
    },
  );

  it('closes a socket that sends subscribe before connection_init with 4401', async () => {
    const { ws: raw, closed } = await rawWs(stack.url);
    const op = firstSubscription();
    raw.send(
      JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: { query: op.document, variables: op.variables },
      }),
    );
    expect((await closed).code).toBe(4401);
  });

  it(`allows at most ${MAX_SUBSCRIPTIONS} concurrent subscriptions per key, across sockets`, async () => {
    const op = firstSubscription();
    const [a, b] = [ws(HEADERS.partner), ws(HEADERS.partner)];
    await Promise.all([a.connected, b.connected]);
    const open = [
      a.subscribe(op.document, op.variables),
      a.subscribe(op.document, op.variables),
      b.subscribe(op.document, op.variables),
    ];
    const refused = b.subscribe(op.document, op.variables);
    const error = (await refused.failure) as { extensions?: { code?: string } }[];
    expect(error[0]?.extensions?.code).toBe('RATE_LIMITED');
    // Another key has its own allowance; closing one frees a slot.
    const admin = ws(HEADERS.admin);
    const adminSub = admin.subscribe(op.document, op.variables);
    open[0]!.stop(); // the literal above holds three
    const again = b.subscribe(op.document, op.variables);
    await pollUntil('an event on the subscription that took the freed slot', async () =>
      again.events.length ? true : undefined,
    );
    expect(again.events.filter((e) => e.errors)).toEqual([]);
    for (const s of [...open, again, adminSub]) s.stop();
  });

  it('rate-limits a key across GraphQL and REST with 429 and Retry-After', async () => {
    const headers = { authorization: `Bearer ${SECRETS.throttled}` };
    for (let i = 0; i < THROTTLED_LIMIT_PER_MINUTE - 1; i++)
      expect((await gql(stack.url, '{ gpus { totalCount } }', {}, headers)).status).toBe(200);
    expect((await fetch(`${stack.url}${dataRoute}`, { headers })).status).toBe(200);
    const graphql = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ gpus { totalCount } }' }),
    });
    expect(graphql.status).toBe(429);
    expect(Number(graphql.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(
      ((await graphql.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code,
    ).toBe('RATE_LIMITED');
    const rest = await fetch(`${stack.url}${dataRoute}`, { headers });
    expect(rest.status).toBe(429);
    expect(Number(rest.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await rest.json()).toMatchObject({ code: 'RATE_LIMITED' });
    // Other keys are not affected.
    expect((await gql(stack.url, '{ gpus { totalCount } }', {}, HEADERS.partner)).status).toBe(200);
  });

  it('rejects a query over the complexity limit with 400 naming the limit', async () => {
    const fields =
      'id uuid index cluster node model namespace pod utilizationPercent memoryUsedMiB powerWatts temperatureCelsius';
    const aliases = Array.from(
      { length: 5 },
      (_, i) => `g${i}: gpus(first: 1000) { edges { node { ${fields} } } }`,
    ).join(' ');
    const res = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...HEADERS.admin },
      body: JSON.stringify({ query: `{ ${aliases} }` }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0]?.message).toMatch(/exceeds the maximum complexity of 50000/);
    expect(body.errors[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      limit: 'GRAPHQL_MAX_COMPLEXITY',
    });
  });

  it('caps `first` on every root field that pages', async () => {
    const paged = rootFields(schema, 'query').filter((f) => f.args.some((a) => a.name === 'first'));
    expect(paged.length).toBeGreaterThan(0);
    for (const field of paged) {
      const op = operationFor('query', field, {
        rootPageSize: 1_000_000,
        values: (s) => (s.name === 'uuid' ? auth.scopes.visibleValue('admin', 'uuid') : undefined),
      });
      const res = await gql(stack.url, op.document, op.variables, HEADERS.admin);
      expect({ field: field.name, code: res.errors?.[0]?.extensions?.code }).toEqual({
        field: field.name,
        code: 'BAD_USER_INPUT',
      });
    }
  });

  // A nullable input typed `X | undefined` reaches the global ValidationPipe as `Object`, which skips its rules.
  it('enforces the 253-character bound of every name filter field on every query root field', async () => {
    const names = /^(cluster|node|namespace|pod|container)$/;
    const sites = rootFields(schema, 'query').flatMap((field) =>
      argSites(field)
        .filter((s) => s.path.length === 2 && names.test(s.name) && getNamedType(s.type).name === 'String')
        .map((site) => ({ field, site })),
    );
    expect(sites.length).toBeGreaterThan(10);
    const unbounded: string[] = [];
    for (const { field, site } of sites) {
      const long = 'a'.repeat(254);
      const op = operationFor('query', field, {
        rootPageSize: 1,
        values: (s) => (s.path.join('.') === site.path.join('.') ? long : undefined),
      });
      const res = await gql(stack.url, op.document, op.variables, HEADERS.admin);
      if (res.errors?.[0]?.extensions?.code !== 'BAD_USER_INPUT')
        unbounded.push(`${field.name}.${site.path.join('.')}`);
    }
    expect(unbounded).toEqual([]);
  });

  it('refuses a request body over REQUEST_BODY_LIMIT_KB with 413', async () => {
    const query = `{ gpus { totalCount } } # ${'x'.repeat(70 * 1024)}`;
    const res = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...HEADERS.admin },
      body: JSON.stringify({ query }),
    });
    expect(res.status).toBe(413);
  });

  it('sends security headers and answers CORS preflights of a listed origin only', async () => {
    const res = await fetch(`${stack.url}/health/live`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    const preflight = await fetch(`${stack.url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://dashboard.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://dashboard.example');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/i);
    const foreign = await fetch(`${stack.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://other.example', 'access-control-request-method': 'POST' },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});
