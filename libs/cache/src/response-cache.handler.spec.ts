import type { Request, Response } from 'express';
import { BODY, partner, QUERY, responseCacheFixture } from './response-cache.fixture';
import { responseCacheHandler, withVary } from './response-cache.handler';

interface Sent {
  status?: number;
  headers: Record<string, string | number>;
  body?: Buffer;
  next: boolean;
}

function setup(env: Record<string, string> = {}) {
  const fixture = responseCacheFixture(env);
  const handler = responseCacheHandler(fixture.cache, fixture.admission);

  const call = (req: Partial<Request> & { headers: Record<string, string> }): Promise<Sent> =>
    new Promise((resolve) => {
      const sent: Sent = { headers: {}, next: false };
      const res = {
        statusCode: 200,
        setHeader: (name: string, value: string | number) => void (sent.headers[name.toLowerCase()] = value),
        getHeader: (name: string) => sent.headers[name.toLowerCase()],
        end(body?: Buffer) {
          sent.status = this.statusCode;
          sent.body = body;
          resolve(sent);
        },
      };
      handler({ method: 'POST', query: {}, ...req } as Request, res as unknown as Response, () => {
        sent.next = true;
        resolve(sent);
      });
    });
  const post = (key: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) =>
    call({
      headers: { 'x-api-key': key, 'content-type': 'application/json', ...headers },
      body: { query: QUERY, variables },
    });

  return { ...fixture, call, post };
}

describe('responseCacheHandler (response-cache hits before Apollo)', () => {
  it('serves a stored answer with its bytes, charged the stored operation cost, private and tagged', async () => {
    const t = setup();
    t.callers.set('k1', partner('ml'));
    const entry = await t.store(partner('ml'), { first: 5 }, 7);
    const sent = await t.post('k1', { first: 5 });
    expect(sent.next).toBe(false);
    expect(sent.status).toBe(200);
    expect(sent.body?.toString()).toBe(BODY);
    expect(sent.headers['x-response-cache']).toBe('hit');
    expect(sent.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(sent.headers['cache-control']).toBe('private, max-age=30');
    expect(sent.headers.etag).toBe(entry.etag);
    expect(sent.headers.etag).toMatch(/^"[^"]+"$/);
    expect(sent.headers.vary).toBe('Authorization, X-API-Key');
    expect(t.charges).toEqual([{ principal: 'p', units: 7 }]);
  });

  it('leaves a miss to Apollo without charging anything (the context factory admits it)', async () => {
    const t = setup();
    t.callers.set('k1', partner('ml'));
    await t.store(partner('ml'), { first: 5 });
    expect((await t.post('k1', { first: 6 })).next).toBe(true);
    const unseen = await t.call({
      headers: { 'x-api-key': 'k1', 'content-type': 'application/json' },
      body: { query: '{ gpuScores { totalCount } }' },
    });
    expect(unseen.next).toBe(true);
    expect(t.charges).toEqual([]);
  });

  it('never serves one scope’s answer to another scope, and shares it within one scope', async () => {
    const t = setup();
    t.callers.set('ml', partner('ml'));
    t.callers.set('other-ml', partner('ml', 'other'));
    t.callers.set('research', partner('research'));
    t.callers.set('viewer', { name: 'v', role: 'viewer', scope: { namespaces: ['ml'] } });
    await t.store(partner('ml'), { first: 5 });
    expect((await t.post('research', { first: 5 })).next).toBe(true);
    expect((await t.post('viewer', { first: 5 })).next).toBe(true);
    expect((await t.post('other-ml', { first: 5 })).headers['x-response-cache']).toBe('hit');
  });

  it('leaves an unauthenticated request to Apollo (its 401)', async () => {
    const t = setup();
    await t.store(partner('ml'), { first: 5 });
    expect((await t.post('unknown', { first: 5 })).next).toBe(true);
  });

  it('leaves a caller over budget to Apollo, which answers the 429 (nothing sent here)', async () => {
    const t = setup();
    t.callers.set('k1', partner('ml'));
    await t.store(partner('ml'), { first: 5 }, 3);
    t.refuse();
    const sent = await t.post('k1', { first: 5 });
    expect(sent.next).toBe(true);
    expect(sent.status).toBeUndefined();
    expect(t.charges).toEqual([{ principal: 'p', units: 3 }]);
  });

  it('misses once the data version changed, and once the entry expired; max-age is what is left', async () => {
    const t = setup();
    t.callers.set('k1', partner('ml'));
    await t.store(partner('ml'), { first: 5 });
    t.advance(12_500);
    expect((await t.post('k1', { first: 5 })).headers['cache-control']).toBe('private, max-age=17');
    t.refresh();
    expect((await t.post('k1', { first: 5 })).next).toBe(true);
    await t.store(partner('ml'), { first: 5 });
    t.advance(30_001);
    expect((await t.post('k1', { first: 5 })).next).toBe(true);
  });

  it('answers 304 to a GET whose If-None-Match names the answer, the full answer to a POST', async () => {
    const t = setup();
    t.callers.set('k1', partner('ml'));
    const { etag } = await t.store(partner('ml'), { first: 5 });
    const get = (headers: Record<string, string>) =>
      t.call({
        method: 'GET',
        headers: { 'x-api-key': 'k1', 'apollo-require-preflight': 'true', ...headers },
        query: { query: QUERY, variables: '{"first":5}' },
      });
    const fresh = await get({ 'if-none-match': `"other", ${etag}` });
    expect(fresh.status).toBe(304);
    expect(fresh.body).toBeUndefined();
    expect(fresh.headers.etag).toBe(etag);
    const changed = await get({ 'if-none-match': '"other"' });
    expect(changed.status).toBe(200);
    expect(changed.body?.toString()).toBe(BODY);
    const post = await t.post('k1', { first: 5 }, { 'if-none-match': etag });
    expect(post.status).toBe(200);
    expect(post.body?.toString()).toBe(BODY);
    // Both 304 and answers are charged: a conditional request is still a request.
    expect(t.charges).toHaveLength(3);
  });

  it('leaves to Apollo what it would answer differently: CSRF-suspect GETs and POSTs, other media types, persisted queries, batches', async () => {
    const t = setup();
    t.callers.set('k1', partner('ml'));
    await t.store(partner('ml'), { first: 5 });
    const getWithout = await t.call({
      method: 'GET',
      headers: { 'x-api-key': 'k1' },
      query: { query: QUERY, variables: '{"first":5}' },
    });
    expect(getWithout.next).toBe(true);
    expect((await t.post('k1', { first: 5 }, { accept: 'application/graphql-response+json' })).next).toBe(
      true,
    );
    const persisted = await t.call({
      headers: { 'x-api-key': 'k1', 'content-type': 'application/json' },
      body: {
        query: QUERY,
        variables: { first: 5 },
        extensions: { persistedQuery: { version: 1, sha256Hash: 'x' } },
      },
    });
    expect(persisted.next).toBe(true);
    expect(
      (
        await t.call({
          headers: { 'x-api-key': 'k1', 'content-type': 'application/json' },
          body: [{ query: QUERY }],
        })
      ).next,
    ).toBe(true);
    // A form post (a cross-site <form> needs no preflight; Nest parses urlencoded bodies): Apollo refuses it as CSRF.
    const form = { 'x-api-key': 'k1', 'content-type': 'application/x-www-form-urlencoded' };
    expect((await t.call({ headers: form, body: { query: QUERY, variables: { first: 5 } } })).next).toBe(
      true,
    );
    expect(
      (await t.call({ headers: { 'x-api-key': 'k1' }, body: { query: QUERY, variables: { first: 5 } } }))
        .next,
    ).toBe(true);
    expect(t.charges).toEqual([]);
    // With one of Apollo's preflight headers the same post is one Apollo would answer.
    const preflighted = await t.call({
      headers: { ...form, 'x-apollo-operation-name': 'Q' },
      body: { query: QUERY, variables: { first: 5 } },
    });
    expect(preflighted.next).toBe(false);
  });

  it('does nothing when the response cache is off', async () => {
    const t = setup({ RESPONSE_CACHE_ENABLED: 'false' });
    t.callers.set('k1', partner('ml'));
    await t.store(partner('ml'), { first: 5 });
    expect((await t.post('k1', { first: 5 })).next).toBe(true);
  });
});

describe('withVary (Express res.vary for the cached answer’s fields)', () => {
  it.each([
    [undefined, 'Authorization, X-API-Key'],
    ['Origin', 'Origin, Authorization, X-API-Key'],
    ['origin, x-api-key', 'origin, x-api-key, Authorization'],
    ['*', '*'],
    [['Origin', 'Accept'], 'Origin, Accept, Authorization, X-API-Key'],
  ] as const)('%j → %s', (current, expected) => {
    expect(withVary(current, ['Authorization', 'X-API-Key'])).toBe(expected);
  });
});
