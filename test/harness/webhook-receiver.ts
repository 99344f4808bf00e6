import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookPost {
  readonly path: string;
  readonly body: { readonly gpu_id?: string; readonly pod?: string | null; readonly event?: string };
  readonly atMs: number;
}

export interface WebhookReceiver {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly posts: readonly WebhookPost[];
  /** GPU ids posted more than once to `path`. */
  duplicates(path: string): string[];
  close(): Promise<void>;
}

/** A local control-API / chat endpoint that answers 200 and records every post. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const posts: WebhookPost[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      posts.push({
        path: req.url ?? '',
        body: JSON.parse(text || '{}') as WebhookPost['body'],
        atMs: Date.now(),
      });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    duplicates(path) {
      const seen = new Map<string, number>();
      for (const p of posts)
        if (p.path === path) seen.set(p.body.gpu_id ?? '', (seen.get(p.body.gpu_id ?? '') ?? 0) + 1);
      return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
