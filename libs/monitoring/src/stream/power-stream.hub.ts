import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { badInput, type TenantScope } from '@kcloud/common';
import { Observable } from 'rxjs';
import { groupsOf } from '../breakdown';
import { PowerGroupBy } from '../models/power-group-by.enum';
import type { PowerSnapshot } from '../models/power-snapshot.model';
import { PowerService } from '../power.service';
import { POWER_STREAM_SCHEDULER, type StreamScheduler } from './stream-scheduler';

export const MIN_INTERVAL_SECONDS = 1;
export const MAX_INTERVAL_SECONDS = 300;
export const DEFAULT_INTERVAL_SECONDS = 5;

export interface PowerStreamArgs {
  readonly cluster?: string;
  readonly groupBy: PowerGroupBy;
  readonly intervalSeconds: number;
}

interface Stream {
  readonly args: PowerStreamArgs;
  readonly scope: TenantScope;
  readonly subscribers: Set<(s: PowerSnapshot) => void>;
  stop: () => void;
  sequence: number;
  latest?: PowerSnapshot;
  computing: boolean;
}

/**
 * Live power: one timer per distinct (cluster, groupBy, interval, caller scope), shared by every subscriber of that
 * stream and stopped when the last one leaves. Each tick computes one snapshot (a tick that finds the previous one
 * still running is skipped, never queued) and hands the same object to every subscriber; a late joiner gets the
 * latest snapshot at once. Backs both the GraphQL subscription and the SSE route.
 */
@Injectable()
export class PowerStreamHub implements OnModuleDestroy {
  private readonly logger = new Logger(PowerStreamHub.name);
  private readonly streams = new Map<string, Stream>();
  private computed = 0;

  constructor(
    private readonly power: PowerService,
    @Inject(POWER_STREAM_SCHEDULER) private readonly scheduler: StreamScheduler,
  ) {}

  /** Snapshot computations since start (all streams): what tests and metrics count. */
  get computations(): number {
    return this.computed;
  }

  /** Streams with a running timer. */
  get activeStreams(): number {
    return this.streams.size;
  }

  /** Subscribes `listener`; returns the unsubscribe function. Arguments are validated first (BAD_USER_INPUT). */
  subscribe(args: PowerStreamArgs, scope: TenantScope, listener: (s: PowerSnapshot) => void): () => void {
    validateInterval(args.intervalSeconds);
    this.power.assertKnownCluster(args.cluster, scope);
    const key = JSON.stringify([
      args.cluster ?? null,
      args.groupBy,
      args.intervalSeconds,
      scope.clusters ?? null,
      scope.namespaces ?? null,
    ]);
    let stream = this.streams.get(key);
    if (!stream) {
      stream = { args, scope, subscribers: new Set(), stop: () => undefined, sequence: 0, computing: false };
      this.streams.set(key, stream);
      const s = stream;
      s.stop = this.scheduler.every(args.intervalSeconds * 1000, () => void this.tick(s));
      void this.tick(s);
    } else if (stream.latest) {
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

  /** The stream as an async iterator (GraphQL subscriptions); `return()` unsubscribes. */
  iterate(args: PowerStreamArgs, scope: TenantScope): AsyncIterableIterator<PowerSnapshot> {
    // A slow consumer gets the newest snapshot, not a backlog.
    let pending: PowerSnapshot | undefined;
    let wake: ((r: IteratorResult<PowerSnapshot>) => void) | undefined;
    let done = false;
    const unsubscribe = this.subscribe(args, scope, (snapshot) => {
      if (wake) {
        const w = wake;
        wake = undefined;
        w({ value: snapshot, done: false });
      } else pending = snapshot;
    });
    const finish = (): Promise<IteratorResult<PowerSnapshot>> => {
      if (!done) {
        done = true;
        unsubscribe();
        wake?.({ value: undefined, done: true });
        wake = undefined;
      }
      return Promise.resolve({ value: undefined, done: true });
    };
    const iterator: AsyncIterableIterator<PowerSnapshot> = {
      next: () => {
        if (done) return Promise.resolve({ value: undefined, done: true });
        if (pending) {
          const value = pending;
          pending = undefined;
          return Promise.resolve({ value, done: false });
        }
        return new Promise((resolve) => (wake = resolve));
      },
      return: finish,
      throw: async (e?: unknown) => {
        await finish();
        throw e;
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** The stream as an Observable (SSE); unsubscribing tears the subscription down. */
  observe(args: PowerStreamArgs, scope: TenantScope): Observable<PowerSnapshot> {
    validateInterval(args.intervalSeconds);
    this.power.assertKnownCluster(args.cluster, scope);
    return new Observable<PowerSnapshot>((subscriber) =>
      this.subscribe(args, scope, (s) => subscriber.next(s)),
    );
  }

  onModuleDestroy(): void {
    for (const stream of this.streams.values()) stream.stop();
    this.streams.clear();
  }

  private async tick(stream: Stream): Promise<void> {
    if (stream.computing) return;
    stream.computing = true;
    try {
      this.computed++;
      const { cluster, groupBy, intervalSeconds } = stream.args;
      const now = await this.power.power({ cluster }, stream.scope, true);
      const snapshot: PowerSnapshot = {
        sequence: ++stream.sequence,
        cluster,
        groupBy,
        intervalSeconds,
        totalWatts: now.breakdown.totalWatts,
        groups: groupsOf(now.breakdown, groupBy).map((g) => ({ ...g })),
        unavailableClusters: [...new Set(now.failures.map((f) => f.cluster))],
        observedAt: now.observedAt,
      };
      stream.latest = snapshot;
      for (const listener of [...stream.subscribers]) listener(snapshot);
    } catch (e) {
      // A failed snapshot is skipped; the next tick tries again. Subscribers keep the previous one.
      this.logger.warn(`power snapshot failed: ${(e as Error).message}`);
    } finally {
      stream.computing = false;
    }
  }
}

export function validateInterval(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < MIN_INTERVAL_SECONDS || seconds > MAX_INTERVAL_SECONDS)
    throw badInput(
      'intervalSeconds',
      `intervalSeconds must be a whole number between ${MIN_INTERVAL_SECONDS} and ${MAX_INTERVAL_SECONDS}`,
    );
}
