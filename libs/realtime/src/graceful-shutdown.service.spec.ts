import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { GracefulShutdown, SHUTDOWN_CLOSE } from './graceful-shutdown.service';

class FakeSocket extends EventEmitter {
  readonly closes: [number, string][] = [];
  close(code: number, reason: string): void {
    this.closes.push([code, reason]);
    this.emit('close');
  }
}

/** A server that emits 'request' with a response whose 'close' the spec fires. */
function fakeServer(): { server: Server; request(): () => void } {
  const server = new EventEmitter();
  return {
    server: server as unknown as Server,
    request() {
      const res = new EventEmitter();
      server.emit('request', {}, res);
      return () => res.emit('close');
    },
  };
}

describe('GracefulShutdown', () => {
  it('closes tracked graphql-ws sockets 1001 "server shutting down" when the drain begins, and completes draining$', () => {
    const shutdown = new GracefulShutdown();
    const open = new FakeSocket();
    const gone = new FakeSocket();
    shutdown.trackSocket(open);
    shutdown.trackSocket(gone);
    gone.emit('close');
    let drained = false;
    shutdown.draining$.subscribe({ complete: () => (drained = true) });
    expect(shutdown.draining).toBe(false);
    shutdown.begin();
    expect(shutdown.draining).toBe(true);
    expect(drained).toBe(true);
    expect(open.closes).toEqual([[SHUTDOWN_CLOSE.code, SHUTDOWN_CLOSE.reason]]);
    expect(gone.closes).toEqual([]);
  });

  it('closes a socket accepted during the drain at once', () => {
    const shutdown = new GracefulShutdown();
    shutdown.begin();
    const late = new FakeSocket();
    shutdown.trackSocket(late);
    expect(late.closes).toEqual([[1001, 'server shutting down']]);
  });

  it('resolves drained() when the last in-flight request ends, or false when the grace runs out', async () => {
    jest.useFakeTimers();
    try {
      const shutdown = new GracefulShutdown();
      const { server, request } = fakeServer();
      shutdown.trackHttp(server);
      await expect(shutdown.drained(1000)).resolves.toBe(true);
      const endA = request();
      const endB = request();
      const waiting = shutdown.drained(1000);
      endA();
      let settled: boolean | undefined;
      void waiting.then((v) => (settled = v));
      await Promise.resolve();
      expect(settled).toBeUndefined();
      endB();
      await expect(waiting).resolves.toBe(true);

      request();
      const late = shutdown.drained(1000);
      jest.advanceTimersByTime(1000);
      await expect(late).resolves.toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });
});
