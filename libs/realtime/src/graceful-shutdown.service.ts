import type { Server } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import { type Observable, ReplaySubject } from 'rxjs';

/** What a graphql-ws socket offers us (ws's WebSocket). */
export interface ClosableSocket {
  close(code: number, reason: string): void;
  once?(event: 'close', listener: () => void): unknown;
}

/** graphql-ws close code and reason for a server going away (RFC 6455 1001). */
export const SHUTDOWN_CLOSE = { code: 1001, reason: 'server shutting down' } as const;

/**
 * The process's drain on SIGTERM, in order: readiness turns false (`draining`), live streams end (graphql-ws sockets
 * close 1001 "server shutting down", SSE streams complete through `draining$`), then in-flight HTTP requests (exports
 * included) get up to the grace to finish. main.ts calls `begin()` and `drained()`, then closes the app, whose
 * destroy hooks release the leader lock and close the Redis clients.
 */
@Injectable()
export class GracefulShutdown {
  private readonly logger = new Logger(GracefulShutdown.name);
  private readonly drain = new ReplaySubject<void>(1);
  private readonly sockets = new Set<ClosableSocket>();
  private inFlight = 0;
  private idle?: () => void;
  /** True from SIGTERM on. */
  draining = false;

  /** Emits once when the drain begins (replayed to late subscribers): pipe long-lived streams through takeUntil. */
  get draining$(): Observable<void> {
    return this.drain.asObservable();
  }

  /** Counts the server's in-flight requests (a request ends when its response closes). */
  trackHttp(server: Server): void {
    server.on('request', (_req, res) => {
      this.inFlight++;
      res.once('close', () => {
        this.inFlight--;
        if (this.inFlight === 0) this.idle?.();
      });
    });
  }

  /** Tracks a graphql-ws socket until it closes; one opened during the drain is closed at once. */
  trackSocket(socket: ClosableSocket): void {
    if (this.draining) return socket.close(SHUTDOWN_CLOSE.code, SHUTDOWN_CLOSE.reason);
    this.sockets.add(socket);
    socket.once?.('close', () => this.sockets.delete(socket));
  }

  begin(): void {
    if (this.draining) return;
    this.draining = true;
    this.drain.next();
    this.drain.complete();
    for (const socket of this.sockets) socket.close(SHUTDOWN_CLOSE.code, SHUTDOWN_CLOSE.reason);
    this.logger.log(
      `draining: ${this.sockets.size} graphql-ws connection(s) closed, ${this.inFlight} HTTP request(s) in flight`,
    );
    this.sockets.clear();
  }

  /** Resolves true when no HTTP request is in flight, false when `graceMs` passed first. */
  drained(graceMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idle = undefined;
        this.logger.warn(`grace of ${graceMs} ms over with ${this.inFlight} HTTP request(s) still in flight`);
        resolve(false);
      }, graceMs);
      this.idle = () => {
        clearTimeout(timer);
        this.idle = undefined;
        resolve(true);
      };
    });
  }
}
