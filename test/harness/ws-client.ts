import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

export interface Closed {
  readonly code: number;
  readonly reason: string;
}

/** One subscription's observations: results as they arrive, and how it ended. */
export interface Subscription {
  readonly events: FormattedExecutionResult<Record<string, unknown>, unknown>[];
  /** Errors sent for the operation (an `error` message), or the close event that ended it. */
  readonly failure: Promise<unknown>;
  readonly done: Promise<void>;
  stop(): void;
}

export interface WsConnection {
  readonly client: Client;
  /** Resolves with the socket's close event (code 4401/4403 when refused). */
  readonly closed: Promise<Closed>;
  /** Resolves when the server acknowledged connection_init. */
  readonly connected: Promise<void>;
  subscribe(query: string, variables?: Record<string, unknown>): Subscription;
  dispose(): Promise<void>;
}

/**
 * A graphql-ws client that never retries, so a refused connection shows its close code to the test. `webSocketImpl`
 * lets a test connect from another local address (a subclass of ws passing `localAddress`).
 */
export function connectWs(
  httpUrl: string,
  connectionParams?: Record<string, unknown>,
  webSocketImpl: typeof WebSocket = WebSocket,
): WsConnection {
  let onClosed!: (c: Closed) => void;
  let onConnected!: () => void;
  const closed = new Promise<Closed>((r) => (onClosed = r));
  const connected = new Promise<void>((r) => (onConnected = r));
  const client = createClient({
    url: httpUrl.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl,
    connectionParams,
    lazy: false,
    retryAttempts: 0,
    shouldRetry: () => false,
    on: {
      connected: () => onConnected(),
      closed: (event) =>
        onClosed({ code: (event as CloseEvent).code, reason: String((event as CloseEvent).reason) }),
    },
    // A refused connection would otherwise surface as an unhandled error from the eager connect.
    onNonLazyError: () => undefined,
  });
  return {
    client,
    closed,
    connected,
    subscribe(query, variables = {}) {
      const events: FormattedExecutionResult<Record<string, unknown>, unknown>[] = [];
      let fail!: (e: unknown) => void;
      let finish!: () => void;
      const failure = new Promise<unknown>((r) => (fail = r));
      const done = new Promise<void>((r) => (finish = r));
      const stop = client.subscribe(
        { query, variables },
        {
          next: (value) => events.push(value),
          error: (e) => {
            fail(e);
            finish();
          },
          complete: () => finish(),
        },
      );
      return { events, failure, done, stop };
    },
    async dispose() {
      await client.dispose();
    },
  };
}

/** A bare WebSocket speaking graphql-transport-ws, for protocol violations a well-behaved client never makes. */
export async function rawWs(httpUrl: string): Promise<{ ws: WebSocket; closed: Promise<Closed> }> {
  const ws = new WebSocket(httpUrl.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws');
  const closed = new Promise<Closed>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, closed };
}

/** The graphql-ws connections a suite opens, disposed together at its end (before the stack they talk to closes). */
export class SocketPool {
  private readonly open: WsConnection[] = [];

  connect(httpUrl: string, connectionParams?: Record<string, unknown>): WsConnection {
    return this.add(connectWs(httpUrl, connectionParams));
  }

  /** A connection opened elsewhere (another local address, a raw client), disposed with the rest. */
  add(connection: WsConnection): WsConnection {
    this.open.push(connection);
    return connection;
  }

  async disposeAll(): Promise<void> {
    await Promise.all(this.open.splice(0).map((c) => c.dispose().catch(() => undefined)));
  }
}
