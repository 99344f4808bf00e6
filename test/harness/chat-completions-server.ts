import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the server answers: a valid structured answer, HTTP 500, never (the request hangs until the client gives up),
 * or a 200 whose message is prose instead of the requested JSON.
 */
export type ChatServerMode = 'answer' | 'error500' | 'hang' | 'prose';

/** The evidence fields the tests read back (the analyzer sends more). */
export interface RecordedEvidence {
  readonly gpu: { readonly id: string; readonly model: string };
  readonly ruleBased: { readonly score: number | null; readonly status: string };
  readonly askedBecause: string;
  readonly allocation: Record<string, unknown>;
}

export interface ChatRequestRecord {
  readonly path: string;
  readonly mode: ChatServerMode;
  readonly headers: IncomingHttpHeaders;
  readonly body: {
    readonly model?: string;
    readonly messages?: readonly { role: string; content: string }[];
    readonly response_format?: {
      readonly type?: string;
      readonly json_schema?: { name?: string; strict?: boolean; schema?: Record<string, unknown> };
    };
  };
  readonly evidence?: RecordedEvidence;
  readonly atMs: number;
}

export interface ChatCompletionsServer {
  /** http://127.0.0.1:<port>/v1 — the base URL an OpenAI client is given. */
  readonly baseUrl: string;
  readonly requests: readonly ChatRequestRecord[];
  /** Requests that are waiting (mode 'hang'). */
  readonly hanging: number;
  mode: ChatServerMode;
  close(): Promise<void>;
}

/** The answer this server gives in 'answer' mode: the rule-based status back, confident, a 0–100 score. */
export function expectedAnswer(e: RecordedEvidence) {
  return {
    status: e.ruleBased.status,
    confidence: 0.87,
    reason: `window utilisation behind a ${e.ruleBased.status} status on ${e.gpu.model}`,
    recommendation: e.ruleBased.status === 'idle' ? 'reclaim the GPU' : 'keep watching',
    adjustedScore: Math.min(100, Math.max(0, Math.round(e.ruleBased.score ?? 0))),
  };
}

/**
 * A local OpenAI-compatible chat-completions endpoint (POST /v1/chat/completions), as vLLM or Ollama serve it: an
 * external service for the analyzer, like Prometheus. Records every request (headers, body, the evidence the user
 * message carries) so a test can check what was sent.
 */
export async function startChatCompletionsServer(
  mode: ChatServerMode = 'answer',
): Promise<ChatCompletionsServer> {
  const requests: ChatRequestRecord[] = [];
  let hanging = 0;
  const state = { mode };
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(text || '{}') as ChatRequestRecord['body'];
      const user = body.messages?.find((m) => m.role === 'user')?.content;
      const evidence = user ? (JSON.parse(user) as RecordedEvidence) : undefined;
      const current = state.mode;
      requests.push({
        path: req.url ?? '',
        mode: current,
        headers: req.headers,
        body,
        evidence,
        atMs: Date.now(),
      });
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return void res.writeHead(404).end();
      switch (current) {
        case 'error500':
          return void res
            .writeHead(500, { 'content-type': 'application/json' })
            .end('{"error":{"message":"boom"}}');
        case 'hang':
          hanging++;
          res.on('close', () => hanging--);
          return;
        case 'prose':
          return void reply(res, body.model, 'This GPU looks idle to me; I would reclaim it.');
        case 'answer':
          return void reply(res, body.model, JSON.stringify(expectedAnswer(evidence!)));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    get hanging() {
      return hanging;
    },
    get mode() {
      return state.mode;
    },
    set mode(m: ChatServerMode) {
      state.mode = m;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function reply(res: import('node:http').ServerResponse, model: string | undefined, content: string): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      id: `chatcmpl-${Date.now()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: model ?? 'unknown',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    }),
  );
}
