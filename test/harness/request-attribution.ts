import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { ClusterRegistry, type PrometheusRequestEvent } from '@kcloud/prometheus';

export interface AttributedRequest<T> {
  /** Who caused it: the label of the HTTP request it was made for, or undefined for background work. */
  readonly by: T | undefined;
  readonly event: PrometheusRequestEvent;
}

/**
 * Records every Prometheus request the API makes, attributed to the incoming HTTP request that caused it (via
 * AsyncLocalStorage around the server's request handler), so background work running at the same time — the
 * analyzer's cycle, a power publisher — is never mistaken for a caller's query. Test-only instrumentation.
 */
export function attributePrometheusRequests<T>(
  app: INestApplication,
  label: (req: IncomingMessage) => T | undefined,
): { readonly requests: AttributedRequest<T>[]; stop(): void } {
  const als = new AsyncLocalStorage<T | undefined>();
  const server = app.getHttpServer() as Server;
  const original = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  const wrapped = (req: IncomingMessage, res: ServerResponse) =>
    als.run(label(req), () => original.forEach((h) => h.call(server, req, res)));
  original.forEach((h) => server.removeListener('request', h));
  server.on('request', wrapped);
  const requests: AttributedRequest<T>[] = [];
  const off = app.get(ClusterRegistry).onRequest((event) => requests.push({ by: als.getStore(), event }));
  return {
    requests,
    stop() {
      off();
      server.removeListener('request', wrapped);
      original.forEach((h) => server.on('request', h));
    },
  };
}
