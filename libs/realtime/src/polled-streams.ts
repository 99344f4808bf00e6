import type { Logger } from '@nestjs/common';
import { Observable } from 'rxjs';
import { badInput } from '@kcloud/common';
import type { StreamScheduler } from './stream-scheduler';
import { pushIterator } from './push-iterator';

/** What a stream computes on each tick: `sequence` is this stream's next snapshot number (1, 2, …). */
export type ComputeSnapshot<T> = (sequence: number) => Promise<T>;

interface Stream<T> {
  readonly compute: ComputeSnapshot<T>;
  readonly subscribers: Set<(s: T) => void>;
  stop: () => void;
  sequence: number;
  latest?: T;
  computing: boolean;
}

/**
 * Live snapshots polled from upstream, shared: one timer per distinct key (the caller puts arguments and tenant scope
 * in it), started by the first subscriber and stopped when the last one leaves. Each tick computes one snapshot — a
 * tick that finds the previous computation still running is skipped, never queued — and hands the *same object* to
 * every subscriber, so graphql-ws' shared execution (sharedSubscribe) also executes the selection once per snapshot.
 * A late joiner gets the latest snapshot at once. Backs powerUpdated (and its SSE/WebSocket routes) and
 * gpuMetricsUpdated.
 */
export class PolledStreams<T> {
  private readonly streams = new Map<string, Stream<T>>();
  private computed = 0;

  constructor(
    private readonly scheduler: StreamScheduler,
    private readonly logger: Logger,
    /** Called once per computation (not per subscriber), e.g. to count upstream reads. */
    private readonly onCompute?: () => void,
  ) {}

  /** Snapshot computations since start, all streams together: one per tick per distinct key. */
  get computations(): number {
    return this.computed;
  }

  /** Streams with a running timer. */
  get activeStreams(): number {
    return this.streams.size;
  }

  /** Subscribes `listener` to the stream `key`; returns the unsubscribe function. Validate arguments before. */
  subscribe(
    key: string,
    intervalMs: number,
    compute: ComputeSnapshot<T>,
    listener: (s: T) => void,
  ): () => void {
    let stream = this.streams.get(key);
    if (!stream) {
      stream = { compute, subscribers: new Set(), stop: () => undefined, sequence: 0, computing: false };
      this.streams.set(key, stream);
      const s = stream;
      s.stop = this.scheduler.every(intervalMs, () => void this.tick(s));
      void this.tick(s);
    } else if (stream.latest !== undefined) {
      listener(stream.latest);
    }
    stream.subscribers.add(listener);
    const joined = stream;
    return () => {
      joined.subscribers.delete(listener);
      if (joined.subscribers.size === 0 && this.streams.get(key) === joined) {
        joined.stop();
        this.streams.delete(key);
      }
    };
  }

  /** The stream as an async iterator (GraphQL subscriptions); `return()` unsubscribes. A slow consumer gets the newest snapshot, not a backlog. */
  iterate(key: string, intervalMs: number, compute: ComputeSnapshot<T>): AsyncIterableIterator<T> {
    return pushIterator<T>((push) => this.subscribe(key, intervalMs, compute, push), 'latest');
  }

  /** The stream as an Observable (SSE, plain WebSocket); unsubscribing tears the subscription down. */
  observe(key: string, intervalMs: number, compute: ComputeSnapshot<T>): Observable<T> {
    return new Observable<T>((subscriber) =>
      this.subscribe(key, intervalMs, compute, (s) => subscriber.next(s)),
    );
  }

  /** Stops every timer (module destroy). */
  stopAll(): void {
    for (const stream of this.streams.values()) stream.stop();
    this.streams.clear();
  }

  private async tick(stream: Stream<T>): Promise<void> {
    if (stream.computing) return;
    stream.computing = true;
    try {
      this.computed++;
      this.onCompute?.();
      const snapshot = await stream.compute(stream.sequence + 1);
      stream.sequence++;
      stream.latest = snapshot;
      for (const listener of [...stream.subscribers]) listener(snapshot);
    } catch (e) {
      // A failed snapshot is skipped; the next tick tries again. Subscribers keep the previous one.
      this.logger.warn(`live snapshot failed: ${(e as Error).message}`);
    } finally {
      stream.computing = false;
    }
  }
}

/** A live stream's interval: a whole number of seconds within [min, max], else BAD_USER_INPUT. */
export function assertIntervalSeconds(seconds: number, min: number, max: number): void {
  if (!Number.isInteger(seconds) || seconds < min || seconds > max)
    throw badInput('intervalSeconds', `intervalSeconds must be a whole number between ${min} and ${max}`);
}
