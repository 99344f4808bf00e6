import { request } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { defaultScenario, FleetModel } from '@kcloud/fleet-model';
import { apiKeysEnv, bearer } from './harness/api-keys';
import { scopesOf } from './harness/auth-fixture';
import { pollUntil } from './harness/poll';
import { startCachingApp } from './response-cache-app';

const SECRETS = {
  admin: 'kc_bx_admin_7c1f0a9e52d34b8f',
  partner: 'kc_bx_partner_3e9d2c7a41f0b6e5',
  viewer: 'kc_bx_viewer_9a4b7e2d1c0f3865',
  twin: 'kc_bx_twin_5f2e8a1c7d9b0346',
  tight: 'kc_bx_tight_0d6c3b9e2a7f4158',
  metrics: 'kc_bx_metrics_8e1a5c3f9b2d7046',
};
const scopes = scopesOf(new FleetModel(defaultScenario()));
const KEYS = apiKeysEnv([
  { name: 'bx-admin', secret: SECRETS.admin, role: 'admin' },
  { name: 'bx-partner', secret: SECRETS.partner, role: 'partner', namespaces: [scopes.partnerNamespace] },
  { name: 'bx-viewer', secret: SECRETS.viewer, role: 'viewer', clusters: [scopes.viewerCluster] },
  { name: 'bx-twin', secret: SECRETS.twin, role: 'partner', namespaces: [scopes.partnerNamespace] },
  {
    name: 'bx-tight',
    secret: SECRETS.tight,
    role: 'partner',
    namespaces: [scopes.partnerNamespace],
    rateLimitPerMinute: 3,
  },
]);
const AUTH_FAILURES_PER_MINUTE = 3;

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** Whether the Express app saw the request at all. */
  readonly throughExpress: boolean;
}

const SCORES = `query Scores($first: Int) { gpuScores(first: $first) { totalCount edges { node { uuid namespace cluster } } } }`;
// Two upstream reads: charged 2 units when it runs, and so when its stored answer is served.
const TWO_READS = `{ a: gpus(first: 1) { totalCount } b: gpus(first: 2) { totalCount } }`;

/**
 * Response-cache hits answered at the HTTP server, before Express (cachedAnswersBeforeExpress), on a production-mode
 * app with API keys: a hit carries the same headers as the miss that stored it (helmet's included), the same access
 * line and the same API request metrics, never crosses scopes, is charged and throttled, and answers 304; whatever it
 * does not answer reaches Express untouched (its body still readable).
 */
describe('GraphQL response-cache hits before Express (production mode, real HTTP, API keys)', () => {
  let app: INestApplication;
  let url: string;
  let expressCalls: jest.SpyInstance;
  let lines: string[] = [];

  beforeAll(async () => {
    ({ app, url, lines } = await startCachingApp({
      API_KEYS: KEYS,
      METRICS_TOKEN: SECRETS.metrics,
      LOG_LEVEL: 'log',
      AUTH_FAILURES_PER_MINUTE: String(AUTH_FAILURES_PER_MINUTE),
    }));
    const express = app.getHttpAdapter().getInstance() as { handle: unknown };
    expressCalls = jest.spyOn(express as { handle: (...a: unknown[]) => unknown }, 'handle');
    // The first analysis installs new data (a new version): wait for it, so stored answers stay stored.
    await pollUntil(
      'the first analysis',
      async () => {
        const a = await post('{ gpuScores(first: 1) { totalCount } }', bearer(SECRETS.admin));
        return a.text.includes('"totalCount":0') || a.status !== 200 ? undefined : true;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await app?.close();
  });

  const send = (
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    body?: string,
    chunked = false,
  ): Promise<Answer> => {
    const before = expressCalls.mock.calls.length;
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const req = request({ host: hostname, port, path, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
            throughExpress: expressCalls.mock.calls.length > before,
          }),
        );
      });
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      if (body === undefined) return void req.end();
      // Node sends a Content-Length for a body given whole to end(); written first, it goes chunked.
      if (chunked) req.write(body);
      else req.setHeader('content-length', Buffer.byteLength(body));
      req.end(chunked ? undefined : body);
    });
  };
  const post = (query: string, headers: Record<string, string>, variables: object = {}, chunked = false) =>
    send(
      'POST',
      '/graphql',
      { 'content-type': 'application/json', ...headers },
      JSON.stringify({ query, variables }),
      chunked,
    );
  /** Repeats until the answer comes from the cache (an analysis or a first read can move the data version once). */
  const untilHit = (label: string, ask: () => Promise<Answer>) =>
    pollUntil(
      label,
      async () => {
        const a = await ask();
        return a.headers['x-response-cache'] === 'hit' ? a : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
  const accessLine = (requestId: string) =>
    pollUntil(
      `the access line of ${requestId}`,
      async () => {
        const line = lines.find((l) => l.includes(`"requestId":"${requestId}"`) && l.includes('"access"'));
        return line ? (JSON.parse(line) as Record<string, unknown>) : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 20 },
    );
  const metric = async (series: RegExp): Promise<number> => {
    const text = (await send('GET', '/metrics', bearer(SECRETS.metrics))).text;
    const line = text.split('\n').find((l) => series.test(l));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };

  it('answers a hit without Express, with the miss’s headers, access line and request metrics', async () => {
    const partner = bearer(SECRETS.partner);
    const requests = /^api_requests_total\{method="POST",route="\/graphql",status="200"\} /;
    const durations = /^api_request_duration_seconds_count\{method="POST",route="\/graphql"\} /;
    // A first scrape reads data of its own (a new data version); later ones do not.
    await metric(requests);
    const miss = await post(SCORES, { ...partner, 'x-request-id': 'bx-miss-1' }, { first: 7 });
    expect([miss.status, miss.throughExpress]).toEqual([200, true]);
    await untilHit('a stored partner answer', () => post(SCORES, partner, { first: 7 }));
    const [requestsBefore, durationsBefore] = [await metric(requests), await metric(durations)];
    const hit = await post(SCORES, { ...partner, 'x-request-id': 'bx-hit-1' }, { first: 7 });
    expect([hit.status, hit.headers['x-response-cache'], hit.throughExpress]).toEqual([200, 'hit', false]);
    expect(hit.text).toBe(miss.text);
    expect([await metric(requests), await metric(durations)]).toEqual([
      requestsBefore + 1,
      durationsBefore + 1,
    ]);

    // Every header the miss carried, with the same value, but for those that name the moment or the request.
    const comparable = (h: Answer['headers']) =>
      Object.fromEntries(
        Object.entries(h).filter(
          ([n]) => !['date', 'x-request-id', 'x-response-cache', 'cache-control'].includes(n),
        ),
      );
    expect(comparable(hit.headers)).toEqual(comparable(miss.headers));
    expect(hit.headers['content-security-policy']).toBe(miss.headers['content-security-policy']);
    expect(hit.headers['x-content-type-options']).toBe('nosniff');
    expect(hit.headers['x-powered-by']).toBeUndefined();
    expect(hit.headers['x-request-id']).toBe('bx-hit-1');
    expect(hit.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
    expect(hit.headers.vary).toBe('Authorization, X-API-Key');

    const [missLine, hitLine] = [await accessLine('bx-miss-1'), await accessLine('bx-hit-1')];
    const shape = (line: Record<string, unknown>) => {
      const { durationMs: _d, ...access } = line.access as Record<string, unknown>;
      return { level: line.level, msg: line.msg, keys: Object.keys(line).sort(), access };
    };
    expect(shape(hitLine)).toEqual(shape(missLine));
    expect((hitLine.access as Record<string, unknown>).key).toBe('bx-partner');
  });

  it('never serves one scope’s answer to another; keys of one scope share it', async () => {
    const answers = {
      admin: await untilHit('admin', () => post(SCORES, bearer(SECRETS.admin), { first: 500 })),
      partner: await untilHit('partner', () => post(SCORES, bearer(SECRETS.partner), { first: 500 })),
      viewer: await untilHit('viewer', () => post(SCORES, bearer(SECRETS.viewer), { first: 500 })),
    };
    expect(new Set(Object.values(answers).map((a) => a.text)).size).toBe(3);
    const edges = (a: Answer) =>
      (JSON.parse(a.text) as { data: { gpuScores: { edges: { node: Record<string, string> }[] } } }).data
        .gpuScores.edges;
    expect(new Set(edges(answers.partner).map((e) => e.node.namespace))).toEqual(
      new Set([scopes.partnerNamespace]),
    );
    expect(new Set(edges(answers.viewer).map((e) => e.node.cluster))).toEqual(
      new Set([scopes.viewerCluster]),
    );
    const twin = await post(SCORES, bearer(SECRETS.twin), { first: 500 });
    expect([twin.headers['x-response-cache'], twin.throughExpress, twin.text]).toEqual([
      'hit',
      false,
      answers.partner.text,
    ]);
    const stranger = await post(SCORES, bearer('kc_bx_nobody_0000000000'), { first: 500 });
    expect([stranger.status, stranger.throughExpress]).toEqual([401, true]);
  });

  it('answers 304 to a conditional GET of the caller’s own answer only', async () => {
    const viewer = { ...bearer(SECRETS.viewer), 'apollo-require-preflight': 'true' };
    const path = `/graphql?query=${encodeURIComponent(SCORES)}&variables=${encodeURIComponent('{"first":3}')}`;
    const first = await untilHit('a stored viewer GET', () => send('GET', path, viewer));
    const etag = String(first.headers.etag);
    const notModified = await send('GET', path, { ...viewer, 'if-none-match': etag });
    expect([notModified.status, notModified.text, notModified.throughExpress]).toEqual([304, '', false]);
    const partner = await send('GET', path, {
      ...bearer(SECRETS.partner),
      'apollo-require-preflight': 'true',
      'if-none-match': etag,
    });
    expect(partner.status).toBe(200);
    expect(partner.text).not.toBe(first.text);
    // Apollo's CSRF rule: a GET without a preflight header is Express's (and Apollo's) to refuse.
    const simple = await send('GET', path, bearer(SECRETS.viewer));
    expect([simple.status, simple.throughExpress]).toEqual([400, true]);
  });

  it('hands what it does not serve to Express with the body intact', async () => {
    const admin = bearer(SECRETS.admin);
    const stored = await untilHit('a stored admin answer', () => post(SCORES, admin, { first: 2 }));
    // A chunked body is not read here: Express reads it and the hit is served there.
    const chunked = await post(SCORES, admin, { first: 2 }, true);
    expect([chunked.status, chunked.throughExpress, chunked.text]).toEqual([200, true, stored.text]);
    // A miss read here first: Express's body parser still gets the whole body.
    const miss = await post(SCORES, admin, { first: 4 });
    expect([miss.status, miss.headers['x-response-cache'], miss.throughExpress]).toEqual([200, 'miss', true]);
    // A body that is not JSON gets the body parser's own refusal.
    const broken = await send(
      'POST',
      '/graphql',
      { ...admin, 'content-type': 'application/json' },
      '{"query":',
    );
    expect([broken.status, broken.throughExpress]).toEqual([400, true]);
  });

  it('charges a hit the stored operation’s units: a key over its budget gets the 429', async () => {
    // The tight key has 3 units a minute; the miss spends 2, so a hit charged its stored 2 is refused.
    await untilHit('a stored two-read answer', () => post(TWO_READS, bearer(SECRETS.twin)));
    const served = await post(TWO_READS, bearer(SECRETS.tight));
    expect([served.status, served.headers['x-response-cache'], served.throughExpress]).toEqual([
      200,
      'hit',
      false,
    ]);
    const refused = await post(TWO_READS, bearer(SECRETS.tight));
    expect([refused.status, refused.throughExpress]).toEqual([429, true]);
    expect(refused.text).toContain('RATE_LIMITED');
    expect(refused.text).not.toContain('totalCount');
  });

  // Last: it leaves this address throttled for the rest of the minute.
  it('serves no hit to an address the failed-authentication throttle holds, right key or not', async () => {
    const viewer = bearer(SECRETS.viewer);
    await untilHit('a stored viewer answer', () => post(SCORES, viewer, { first: 1 }));
    // Wrong keys until the throttle answers (earlier suites' 401s from this address count too).
    const statuses: number[] = [];
    for (let i = 0; i <= AUTH_FAILURES_PER_MINUTE && statuses.at(-1) !== 429; i++)
      statuses.push((await post(SCORES, bearer(`kc_bx_guess_${i}_000000000`))).status);
    expect(statuses.at(-1)).toBe(429);
    const held = await post(SCORES, viewer, { first: 1 });
    expect([held.status, held.throughExpress]).toEqual([429, true]);
    expect(held.text).not.toContain('gpuScores');
  });
});
