import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { StreamSocketAccess } from '@kcloud/auth';
import { CredentialChanges, DomainError, ErrorCode, httpStatusOf, KeyQuota } from '@kcloud/common';
import { GracefulShutdown } from '@kcloud/realtime';
import { type Observable, takeUntil } from 'rxjs';
import { parseGroupBy, parseInterval } from './power-stream.controller';
import type { PowerSnapshot } from '../models/power-snapshot.model';
import { type PowerStreamArgs, PowerStreamHub } from './power-stream.hub';

/** The seeds' WebSocket path (seeds 000/001), the same as the SSE route's. */
export const POWER_SOCKET_PATH = '/api/v1/monitoring/stream/power';
/** A slow reader gets the newest snapshot, not a backlog: past this many unsent bytes a snapshot is skipped. */
const MAX_BUFFERED_BYTES = 1 << 20;
/** Close codes in the application range (like graphql-ws's 4401/4403): the grant ended while the socket was open. */
const CLOSE_REVOKED = 4401;

/**
 * Live power over a plain WebSocket for the seeds' clients: `ws://host/api/v1/monitoring/stream/power?cluster=&
 * groupBy=&intervalSeconds=` with the key in `Authorization` or `X-API-Key`. Each message is one snapshot, the same
 * JSON as an SSE `data:` line, from the same hub (a WebSocket and an SSE stream with equal arguments and scope share
 * one timer and get the same snapshots). Same rules as the SSE route: the stream role rule, one
 * MAX_CONNECTIONS_PER_KEY and one MAX_SUBSCRIPTIONS_PER_KEY slot while open, and the socket closes (4401) when its
 * key is revoked, rotated, narrowed or expires (1001 when the process drains). Refusals are plain HTTP answers to the upgrade (401/403/400/429).
 * Attached with `noServer` to the HTTP server's `upgrade` event and answering only its own path, so graphql-ws (which
 * takes `/graphql`) and this server never handle the same request.
 */
@Injectable()
export class PowerStreamSocket implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('PowerStreamSocket');
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  private server?: {
    on: (e: 'upgrade', l: UpgradeListener) => void;
    off: (e: 'upgrade', l: UpgradeListener) => void;
  };
  private readonly onUpgrade: UpgradeListener = (req, socket, head) => {
    if (pathOf(req.url) !== POWER_SOCKET_PATH) return;
    this.upgrade(req, socket, head).catch((e: unknown) => {
      this.logger.warn(`power socket upgrade failed: ${(e as Error).message}`);
      refuse(socket, 500, { code: 'INTERNAL', message: 'internal error' });
    });
  };

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly access: StreamSocketAccess,
    private readonly hub: PowerStreamHub,
    private readonly quota: KeyQuota,
    private readonly credentials: CredentialChanges,
    private readonly shutdown: GracefulShutdown,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as PowerStreamSocket['server'];
    if (!server) return;
    this.server = server;
    server.on('upgrade', this.onUpgrade);
  }

  onModuleDestroy(): void {
    this.server?.off('upgrade', this.onUpgrade);
    for (const client of this.wss.clients) client.close(1001, 'server shutting down');
    this.wss.close();
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const admitted = await this.access.admit(req);
    if (!admitted.ok) {
      const headers: Record<string, string> =
        admitted.code === ErrorCode.UNAUTHENTICATED
          ? { 'WWW-Authenticate': 'Bearer realm="kcloud-monitor", Basic realm="kcloud-monitor"' }
          : admitted.retryAfterSeconds !== undefined
            ? { 'Retry-After': String(admitted.retryAfterSeconds) }
            : {};
      refuse(
        socket,
        httpStatusOf(admitted.code),
        { code: admitted.code, message: admitted.message },
        headers,
      );
      return;
    }
    const { principal } = admitted;
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    let args: PowerStreamArgs;
    let snapshots: Observable<PowerSnapshot>;
    try {
      args = {
        cluster: query.get('cluster') || undefined,
        groupBy: parseGroupBy(query.get('groupBy') ?? undefined),
        intervalSeconds: parseInterval(query.get('intervalSeconds') ?? undefined),
      };
      snapshots = this.hub.observe(args, principal.scope);
    } catch (e) {
      const error = e instanceof DomainError ? e : new DomainError(ErrorCode.BAD_USER_INPUT, String(e));
      refuse(socket, httpStatusOf(error.code), { code: error.code, message: error.message });
      return;
    }
    const claim = await this.quota.claimStream(principal);
    if (!claim.ok) {
      refuse(socket, httpStatusOf(ErrorCode.RATE_LIMITED), {
        code: ErrorCode.RATE_LIMITED,
        message: claim.message,
        limit: claim.setting,
      });
      return;
    }
    if (socket.destroyed) {
      claim.lease.release();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.logger.log({ msg: 'power socket opened', key: principal.name, role: principal.role, ...args });
      const subscription = snapshots.pipe(takeUntil(this.credentials.revoked(principal))).subscribe({
        next: (snapshot) => {
          if (ws.readyState === WebSocket.OPEN && ws.bufferedAmount < MAX_BUFFERED_BYTES)
            ws.send(JSON.stringify(snapshot));
        },
        complete: () => ws.close(CLOSE_REVOKED, 'credentials revoked or expired'),
      });
      // Closed 1001 "server shutting down" when the process drains on SIGTERM, like graphql-ws sockets.
      this.shutdown.trackSocket(ws);
      // The client only listens; anything it sends is ignored (the frame size is capped by maxPayload).
      ws.on('message', (_: RawData) => undefined);
      ws.once('close', () => {
        subscription.unsubscribe();
        claim.lease.release();
        this.logger.log({ msg: 'power socket closed', key: principal.name });
      });
    });
  }
}

type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0] ?? '/';
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** An HTTP answer on the raw upgrade socket (it is not a WebSocket yet), then the socket is closed. */
function refuse(
  socket: Duplex,
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  if (socket.destroyed) return;
  const text = JSON.stringify({ statusCode: status, ...body });
  const lines = [
    `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 429 ? 'Too Many Requests' : status === 400 ? 'Bad Request' : status === 404 ? 'Not Found' : 'Error'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(text)}`,
    'Connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`);
}
