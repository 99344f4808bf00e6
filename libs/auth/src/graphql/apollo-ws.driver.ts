import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { RequestHandler } from 'express';
import type { WebSocketServer } from 'ws';

export type ApolloWsDriverConfig = ApolloDriverConfig & {
  /** Largest WebSocket message accepted on the subscription path; a bigger frame closes the socket with 1009. */
  readonly webSocketMaxPayloadBytes: number;
  /** Mounted on the GraphQL path right before Apollo, after every global middleware (the response cache's hits). */
  readonly beforeApollo?: RequestHandler;
  /**
   * Put in front of the HTTP server's request listener (the Express app), which it calls (`fallThrough`) for whatever
   * it does not answer itself (the response cache's hits, served before Express).
   */
  readonly beforeExpress?: (req: IncomingMessage, res: ServerResponse, fallThrough: () => void) => void;
};

interface SubscriptionServers {
  readonly wss?: WebSocketServer;
  readonly subTransWs?: WebSocketServer;
}

/** Runs `handler` first for every request of `server`; its other request listeners only when it falls through. */
function interceptRequests(
  server: Server,
  handler: NonNullable<ApolloWsDriverConfig['beforeExpress']>,
): void {
  const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) =>
    handler(req, res, () => {
      for (const listener of listeners) listener.call(server, req, res);
    }),
  );
}

/**
 * Nest's ApolloDriver with a frame-size limit on its WebSocket servers. Nest's GqlSubscriptionService creates
 * `new WebSocketServer({ path, noServer: true })` with no way to pass options, so ws's 100 MiB default applies — also
 * before `connection_init` authenticates anyone. ws reads `options.maxPayload` at each upgrade (handleUpgrade →
 * setSocket), so setting it right after the servers are created covers every connection. The servers sit in
 * private fields: boot fails loudly if a Nest upgrade moves them, rather than serving without the limit.
 */
export class ApolloWsDriver extends ApolloDriver {
  override async start(options: ApolloWsDriverConfig): Promise<void> {
    if (options.beforeApollo)
      this.httpAdapterHost.httpAdapter.use(options.path ?? '/graphql', options.beforeApollo);
    if (options.beforeExpress)
      interceptRequests(this.httpAdapterHost.httpAdapter.getHttpServer() as Server, options.beforeExpress);
    await super.start(options);
    if (!options.subscriptions) return;
    const servers = (this as unknown as { _subscriptionService?: SubscriptionServers })._subscriptionService;
    const found = [servers?.wss, servers?.subTransWs].filter((s): s is WebSocketServer => s !== undefined);
    if (!found.length || found.some((s) => typeof s.options !== 'object'))
      throw new Error(
        'ApolloWsDriver: cannot find the WebSocket servers of @nestjs/graphql to set maxPayload',
      );
    for (const server of found) server.options.maxPayload = options.webSocketMaxPayloadBytes;
  }
}
