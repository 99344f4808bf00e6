import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cachedAnswersBeforeExpress, type HitEdge } from './hits-before-express';
import { peekBody } from './request-body';
import { BODY, partner, QUERY, responseCacheFixture } from './response-cache.fixture';

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** The body the app behind (Express, here a stand-in) read, when the request fell through to it. */
  readonly fellThroughWith?: string;
}

/**
 * A real HTTP server whose request listener is the handler in front of a stand-in for Express: the stand-in reads the
 * whole body, as Express's body parser would, and answers 299 with it, so a test sees whether a request fell through
 * and that its body arrived intact.
 */
async function serve(
  env: Record<string, string> = {},
  maxBodyBytes = 1024,
  /** How the observers give the request id: set on the response (pino-http), or returned for the hit's head. */
  requestId: 'set' | 'returned' = 'set',
) {
  const fixture = responseCacheFixture(env);
  const observed: string[] = [];
  const edge: HitEdge = {
    headers: [
      ['x-frame-options', 'SAMEORIGIN'],
      ['x-content-type-options', 'nosniff'],
    ],
    observe: (req, res) => {
      observed.push(`${req.method} ${(req as { originalUrl?: string }).originalUrl}`);
      if (requestId === 'returned') return ['X-Request-Id', 'r-1'];
      res.setHeader('x-request-id', 'r-1');
      // A Vary set before the hit's head is extended, not replaced.
      res.setHeader('vary', 'Origin');
    },
  };
  const handler = cachedAnswersBeforeExpress(fixture.cache, fixture.admission, {
    path: '/graphql',
    maxBodyBytes,
    edge,
  });
  const app = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.statusCode = 299;
      res.end(Buffer.concat(chunks));
    });
  };
  let arrived = 0;
  const server: Server = createServer((req, res) => {
    arrived++;
    handler(req, res, () => app(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const send = (
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
    chunked = false,
  ): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text,
            ...(res.statusCode === 299 ? { fellThroughWith: text } : {}),
          });
        });
      });
      req.on('error', reject);
      if (body === undefined) return void req.end();
      if (chunked) {
        req.write(body.slice(0, 5));
        req.end(body.slice(5));
      } else {
        req.setHeader('content-length', Buffer.byteLength(body));
        req.end(body);
      }
    });
  const json = (variables: object) => JSON.stringify({ query: QUERY, variables });
  const post = (key: string, body: string, headers: Record<string, string> = {}, chunked = false) =>
    send(
      'POST',
      '/graphql',
      { 'x-api-key': key, 'content-type': 'application/json', ...headers },
      body,
      chunked,
    );

  return {
    ...fixture,
    observed,
    /** Requests the server has received. */
    arrived: () => arrived,
    send,
    post,
    json,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Whether `p` settles within a few event-loop turns (no timer: turns, not time). */
async function settledWithin(p: Promise<unknown>, turns = 50): Promise<boolean> {
  let settled = false;
  p.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < turns && !settled; i++) await new Promise((r) => setImmediate(r));
  return settled;
}

describe('cachedAnswersBeforeExpress (response-cache hits at the HTTP server)', () => {
  let t: Awaited<ReturnType<typeof serve>>;
  afterEach(async () => t?.close());

  it('serves a stored answer with the edge’s headers and observers, charged its stored cost', async () => {
    t = await serve();
    t.callers.set('k1', partner('ml'));
    const { etag } = await t.store(partner('ml'), { first: 5 }, 7);
    const hit = await t.post('k1', t.json({ first: 5 }));
    expect(hit.fellThroughWith).toBeUndefined();
    expect([hit.status, hit.body]).toEqual([200, BODY]);
    expect(hit.headers).toMatchObject({
      'x-response-cache': 'hit',
      'x-frame-options': 'SAMEORIGIN',
      'x-content-type-options': 'nosniff',
      'x-request-id': 'r-1',
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'private, max-age=30',
      etag,
      vary: 'Origin, Authorization, X-API-Key',
    });
    expect(t.observed).toEqual(['POST /graphql']);
    expect(t.charges).toEqual([{ principal: 'p', units: 7 }]);
  });

  it('writes the headers the observers return in the hit’s head, the same set as when they set them', async () => {
    t = await serve({}, 1024, 'returned');
    t.callers.set('k1', partner('ml'));
    const { etag } = await t.store(partner('ml'), { first: 5 }, 7);
    const hit = await t.post('k1', t.json({ first: 5 }));
    expect([hit.status, hit.body]).toEqual([200, BODY]);
    const { date: _date, connection: _c, 'keep-alive': _k, ...headers } = hit.headers;
    expect(headers).toEqual({
      'x-request-id': 'r-1',
      'x-frame-options': 'SAMEORIGIN',
      'x-content-type-options': 'nosniff',
      'x-response-cache': 'hit',
      'cache-control': 'private, max-age=30',
      vary: 'Authorization, X-API-Key',
      etag,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(BODY)),
    });
    const path = `/graphql?query=${encodeURIComponent(QUERY)}&variables=${encodeURIComponent('{"first":5}')}`;
    const fresh = await t.send('GET', path, {
      'x-api-key': 'k1',
      'apollo-require-preflight': 'true',
      'if-none-match': etag,
    });
    expect([fresh.status, fresh.headers.etag, fresh.headers['x-request-id']]).toEqual([304, etag, 'r-1']);
    expect(fresh.headers['content-type']).toBeUndefined();
  });

  it('serves a request whose identical execution is under way its answer when stored, charged like a hit', async () => {
    t = await serve();
    t.callers.set('k1', partner('ml'));
    const key = t.keyOf(partner('ml'), { first: 5 });
    // Apollo's path missed and leads the execution of this key.
    expect(await t.cache.answer(key, true)).toEqual({ leads: true });
    const waiting = t.post('k1', t.json({ first: 5 }));
    while (t.arrived() === 0) await new Promise((r) => setImmediate(r));
    // Held while the execution runs: neither served nor handed to the app (where it would execute again).
    expect(await settledWithin(waiting)).toBe(false);
    await t.cache.set(key, BODY, 5);
    const hit = await waiting;
    expect([hit.status, hit.body, hit.headers['x-response-cache'], hit.fellThroughWith]).toEqual([
      200,
      BODY,
      'hit',
      undefined,
    ]);
    expect(t.charges).toEqual([{ principal: 'p', units: 5 }]);
  });

  it('hands a request waiting for an execution that stores nothing to the app, body intact', async () => {
    t = await serve();
    t.callers.set('k1', partner('ml'));
    const key = t.keyOf(partner('ml'), { first: 5 });
    await t.cache.answer(key, true);
    const body = t.json({ first: 5 });
    const waiting = t.post('k1', body);
    while (t.arrived() === 0) await new Promise((r) => setImmediate(r));
    expect(await settledWithin(waiting)).toBe(false);
    t.cache.abandon(key);
    expect((await waiting).fellThroughWith).toBe(body);
    expect([t.charges, t.observed]).toEqual([[], []]);
  });

  it('hands a miss to the app with the body it read put back, nothing charged or observed', async () => {
    t = await serve();
    t.callers.set('k1', partner('ml'));
    await t.store(partner('ml'), { first: 5 });
    const body = t.json({ first: 6 });
    expect((await t.post('k1', body)).fellThroughWith).toBe(body);
    // Another scope's caller, an unknown caller: the app's to answer.
    t.callers.set('k2', partner('research'));
    expect((await t.post('k2', t.json({ first: 5 }))).fellThroughWith).toBe(t.json({ first: 5 }));
    expect((await t.post('nobody', t.json({ first: 5 }))).fellThroughWith).toBe(t.json({ first: 5 }));
    expect([t.charges, t.observed]).toEqual([[], []]);
  });

  it('hands a caller over budget to the app (its 429), charged once here', async () => {
    t = await serve();
    t.callers.set('k1', partner('ml'));
    await t.store(partner('ml'), { first: 5 }, 3);
    t.refuse();
    expect((await t.post('k1', t.json({ first: 5 }))).fellThroughWith).toBe(t.json({ first: 5 }));
    expect(t.charges).toEqual([{ principal: 'p', units: 3 }]);
  });

  it('answers 304 to a GET naming the stored answer, and the answer to a GET that does not', async () => {
    t = await serve();
    t.callers.set('k1', partner('ml'));
    const { etag } = await t.store(partner('ml'), { first: 5 });
    const path = `/graphql?query=${encodeURIComponent(QUERY)}&variables=${encodeURIComponent('{"first":5}')}`;
    const headers = { 'x-api-key': 'k1', 'apollo-require-preflight': 'true' };
    const fresh = await t.send('GET', path, { ...headers, 'if-none-match': etag });
    expect([fresh.status, fresh.body, fresh.headers.etag]).toEqual([304, '', etag]);
    const changed = await t.send('GET', path, { ...headers, 'if-none-match': '"other"' });
    expect([changed.status, changed.body]).toEqual([200, BODY]);
    // Apollo's CSRF rule: no preflight header on a GET, Apollo's refusal.
    expect((await t.send('GET', path, { 'x-api-key': 'k1' })).status).toBe(299);
  });

  it.each([
    ['another path', { path: '/graphql/' }],
    ['another case', { path: '/GraphQL' }],
    ['another method', { method: 'PUT' }],
    ['a form post', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
    ['another charset', { headers: { 'content-type': 'application/json; charset=latin1' } }],
    ['a compressed body', { headers: { 'content-encoding': 'gzip' } }],
    ['a chunked body', { chunked: true }],
    ['a body over the limit', { pad: 2000 }],
    ['a body that is not JSON', { body: '{"query": "{ gpuScores' }],
    ['a batch', { body: `[${JSON.stringify({ query: QUERY, variables: { first: 5 } })}]` }],
  ])('hands %s to the app untouched', async (_what, c) => {
    t = await serve();
    t.callers.set('k1', partner('ml'));
    await t.store(partner('ml'), { first: 5 });
    const o = c as {
      path?: string;
      method?: string;
      headers?: Record<string, string>;
      chunked?: boolean;
      pad?: number;
      body?: string;
    };
    const body =
      o.body ??
      JSON.stringify({ query: QUERY, variables: { first: 5 }, ...(o.pad ? { x: 'x'.repeat(o.pad) } : {}) });
    const reply = await t.send(
      o.method ?? 'POST',
      o.path ?? '/graphql',
      { 'x-api-key': 'k1', 'content-type': 'application/json', ...o.headers },
      body,
      o.chunked,
    );
    expect(reply.fellThroughWith).toBe(body);
    expect([t.charges, t.observed]).toEqual([[], []]);
  });

  it('does nothing when the response cache is off', async () => {
    t = await serve({ RESPONSE_CACHE_ENABLED: 'false' });
    t.callers.set('k1', partner('ml'));
    await t.store(partner('ml'), { first: 5 });
    expect((await t.post('k1', t.json({ first: 5 }))).fellThroughWith).toBe(t.json({ first: 5 }));
  });
});

describe('peekBody', () => {
  it('gives up on a request whose client goes away before the whole body arrived', async () => {
    let peeked: Promise<Buffer | undefined> | undefined;
    const server = createServer((req) => {
      peeked = peekBody(req, 100);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const req = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/graphql',
      headers: { 'content-length': 100 },
    });
    req.on('error', () => undefined);
    req.write('{"query":');
    while (!peeked) await new Promise((r) => setImmediate(r));
    req.destroy();
    await expect(peeked).resolves.toBeUndefined();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
