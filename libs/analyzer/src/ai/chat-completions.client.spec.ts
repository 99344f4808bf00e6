import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@kcloud/common';
import type { ChatCompletionRequest } from './ai-prompt';
import { type ChatCompletionError, ChatCompletionsClient } from './chat-completions.client';

const REQUEST = { model: 'm', messages: [], response_format: {} } as unknown as ChatCompletionRequest;

/** A local endpoint whose answer each test sets; 'hang' never answers. */
async function endpoint() {
  const seen: { url?: string; headers: IncomingHttpHeaders; body: unknown }[] = [];
  let answer: { status: number; body: string } | 'hang' = { status: 200, body: '{"choices":[]}' };
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      seen.push({ url: req.url, headers: req.headers, body: JSON.parse(text) as unknown });
      if (answer !== 'hang')
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    seen,
    answer: (a: typeof answer) => (answer = a),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const client = (base: string, env: Record<string, string> = {}) =>
  new ChatCompletionsClient(loadConfig({ ANALYZER_AI_API_URL: base, ...env }));

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: ChatCompletionError) => ({ kind: e.kind, message: e.message }),
  );

describe('ChatCompletionsClient (against a local endpoint)', () => {
  let ep: Awaited<ReturnType<typeof endpoint>>;
  beforeEach(async () => (ep = await endpoint()));
  afterEach(() => ep.close());

  it('POSTs the request to {url}/chat/completions with the key as bearer token and returns the parsed body', async () => {
    expect(await client(ep.base, { ANALYZER_AI_API_KEY: 'sk-1' }).complete(REQUEST)).toEqual({ choices: [] });
    expect(ep.seen[0]).toMatchObject({
      url: '/v1/chat/completions',
      headers: { authorization: 'Bearer sk-1', 'content-type': 'application/json' },
      body: REQUEST,
    });
  });

  it('sends no Authorization header without a key (a local vLLM or Ollama)', async () => {
    await client(ep.base).complete(REQUEST);
    expect(ep.seen[0]!.headers).not.toHaveProperty('authorization');
  });

  it.each<[string, { status: number; body: string }, string]>([
    ['HTTP 500', { status: 500, body: '{"error":{}}' }, 'http_error'],
    ['HTTP 401', { status: 401, body: '{"error":{}}' }, 'http_error'],
    ['a redirect (it could carry the token elsewhere)', { status: 302, body: '' }, 'http_error'],
    ['a body that is not JSON', { status: 200, body: 'Internal error' }, 'invalid_answer'],
  ])('classifies %s', async (_n, answer, kind) => {
    ep.answer(answer);
    expect(await failure(client(ep.base, { ANALYZER_AI_API_KEY: 'sk-1' }).complete(REQUEST))).toMatchObject({
      kind,
    });
  });

  it('gives up on a request that gets no answer within ANALYZER_AI_TIMEOUT_MS', async () => {
    ep.answer('hang');
    expect(await failure(client(ep.base, { ANALYZER_AI_TIMEOUT_MS: '200' }).complete(REQUEST))).toMatchObject(
      {
        kind: 'timeout',
      },
    );
  });

  it('ends requests in flight at close, long before their timeout, and refuses new ones', async () => {
    ep.answer('hang');
    const c = client(ep.base, { ANALYZER_AI_TIMEOUT_MS: '300000' });
    const pending = failure(c.complete(REQUEST));
    while (ep.seen.length === 0) await new Promise((r) => setImmediate(r));
    c.close();
    expect(await pending).toMatchObject({ kind: 'rejected' });
    expect(await failure(c.complete(REQUEST))).toMatchObject({ kind: 'rejected' });
  });

  it('names a network failure without the key', async () => {
    await ep.close();
    const f = await failure(client(ep.base, { ANALYZER_AI_API_KEY: 'sk-secret-77' }).complete(REQUEST));
    expect(f).toMatchObject({ kind: 'network_error' });
    expect(JSON.stringify(f)).not.toContain('sk-secret-77');
    ep = await endpoint();
  });
});
