import { createWriteStream, type WriteStream } from 'node:fs';
import WebSocket from 'ws';

/**
 * A minimal Chrome DevTools Protocol client for a Node process started with `--inspect=127.0.0.1:<port>`: live heap
 * after a full GC (what stays per subscriber, not the garbage RSS also counts) and heap snapshots.
 */
export class Inspector {
  private id = 0;
  private readonly pending = new Map<number, (result: unknown) => void>();
  private chunks: string[] = [];
  /** Where snapshot chunks go when a snapshot is written to a file (a long-run heap is too big for one string). */
  private sink?: WriteStream;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as {
        id?: number;
        result?: unknown;
        method?: string;
        params?: { chunk?: string };
      };
      if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') {
        if (this.sink) this.sink.write(msg.params!.chunk!);
        else this.chunks.push(msg.params!.chunk!);
      }
      if (msg.id !== undefined) this.pending.get(msg.id)?.(msg.result);
    });
  }

  static async connect(port: number): Promise<Inspector> {
    const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
      webSocketDebuggerUrl: string;
    }[];
    const socket = new WebSocket(list[0]!.webSocketDebuggerUrl, { maxPayload: 1 << 30 });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return new Inspector(socket);
  }

  send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = ++this.id;
    return new Promise((resolve) => {
      this.pending.set(id, (r) => resolve(r as T));
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Bytes of live JS heap after a full garbage collection. */
  async liveHeapBytes(): Promise<number> {
    await this.send('HeapProfiler.collectGarbage');
    await this.send('HeapProfiler.collectGarbage');
    return (await this.send<{ usedSize: number }>('Runtime.getHeapUsage')).usedSize;
  }

  async snapshot(): Promise<string> {
    this.chunks = [];
    await this.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    return this.chunks.join('');
  }

  /** Writes a heap snapshot to `path` (loadable in Chrome DevTools' Memory tab) as it streams in. */
  async snapshotTo(path: string): Promise<void> {
    const sink = createWriteStream(path);
    this.sink = sink;
    try {
      await this.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    } finally {
      this.sink = undefined;
      await new Promise<void>((resolve, reject) =>
        sink.end((e?: Error | null) => (e ? reject(e) : resolve())),
      );
    }
  }

  close(): void {
    this.socket.close();
  }
}
