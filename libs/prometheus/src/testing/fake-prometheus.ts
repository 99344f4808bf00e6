import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fake server saw it; form bodies decoded. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly params: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
}

export type FakeHandler = (req: SeenRequest, res: ServerResponse) => void;

/** A node:http server on 127.0.0.1:0 that records requests and answers through a swappable handler (specs only). */
export class FakePrometheus {
  readonly requests: SeenRequest[] = [];
  /** TCP connections accepted: shows whether the client keeps sockets alive. */
  connections = 0;
  private port = 0;
  handler: FakeHandler = (_req, res) => json(res, 200, vector([]));
  private readonly server: Server;

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://fake');
        const params = new URLSearchParams(url.search);
        for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) params.append(k, v);
        const seen = { method: req.method ?? '', path: url.pathname, params, headers: req.headers };
        this.requests.push(seen);
        this.handler(seen, res);
      });
    });
    this.server.on('connection', () => this.connections++);
  }

  static async start(): Promise<FakePrometheus> {
    const fake = new FakePrometheus();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** Stays valid after stop(), so a spec can aim a client at a port that refuses connections. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  queries(): string[] {
    return this.requests.flatMap((r) => r.params.getAll('query'));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export const vector = (
  result: readonly { metric: Record<string, string>; value: [number, string] }[],
): unknown => ({
  status: 'success',
  data: { resultType: 'vector', result },
});

export const matrix = (
  result: readonly { metric: Record<string, string>; values: [number, string][] }[],
): unknown => ({
  status: 'success',
  data: { resultType: 'matrix', result },
});

export const apiError = (errorType: string, error: string): unknown => ({
  status: 'error',
  errorType,
  error,
});
