import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { type Cache, createCache } from 'cache-manager';
import { Counter } from 'prom-client';
import {
  AppConfig,
  Clock,
  currentUpstreamSignal,
  detachedFromUpstreamSignal,
  type TtlClass,
  withUpstreamSignal,
} from '@kcloud/common';
import { CACHE_BACKEND, type CacheBackend } from './cache-backend';
import { CACHE_HITS, CACHE_MISSES } from './cache.metrics';
import { DataVersions } from './data-versions';

/** The DataVersions counter bumped by every load that ran (a source read). */
export const SNAPSHOT_READS = 'snapshot';

/** A store call that takes longer than this is treated as a miss (or a skipped write): Redis must not stall reads. */
export const STORE_TIMEOUT_MS = 500;
/**
 * While the store is failing, reads skip it (a miss at once) and one write at most this often tests whether it is
 * back; without this every cached read paid STORE_TIMEOUT_MS (or the client's reconnect wait) during a Redis outage.
 */
export const DEGRADED_PROBE_EVERY_MS = 1_000;
/** The memory store is trimmed (expired first, then oldest) when it grows past this many keys. */
export const MAX_MEMORY_ENTRIES = 10_000;

/**
 * One shared load and the callers waiting for it. The load runs under its own signal, aborted only once every waiting
 * caller's request was cancelled: one caller timing out must not fail the others, nor keep Prometheus busy for none.
 * A caller without a signal (background work, subscriptions) keeps the load alive.
 */
class Flight {
  readonly controller = new AbortController();
  private waiting = 0;
  private cancelled = 0;
  private pinned = false;
  promise!: Promise<unknown>;

  join(signal: AbortSignal | undefined): void {
    this.waiting++;
    if (!signal) {
      this.pinned = true;
      return;
    }
    const onAbort = (): void => {
      if (++this.cancelled === this.waiting && !this.pinned) this.controller.abort(signal.reason);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }
}

/** What is stored: the value plus our own expiry, read against the injectable Clock (the store's TTL only evicts). */
interface Envelope {
  readonly v: unknown;
  readonly exp: number;
}

/**
 * Read-through cache with single-flight: concurrent `getOrLoad` calls for one key share one load, so N equal
 * requests cost one MetricSource call. TTL comes from the key's class (`CACHE_TTL_<CLASS>_SECONDS`; 0 = not stored).
 * A rejected load is never stored. A failing store (Redis down) degrades to loading every time, never to an error.
 */
@Injectable()
export class CacheService implements OnModuleDestroy {
  private readonly logger = new Logger(CacheService.name);
  private readonly cache: Cache;
  private readonly inflight = new Map<string, Flight>();
  /** Bumped by any invalidate(): a load that started before must not store what it read (conservative: at worst one extra load). */
  private generation = 0;
  private degraded = false;
  /** While degraded: when the next write may test the store. */
  private probeAtMs = 0;

  constructor(
    @Inject(CACHE_BACKEND) private readonly backend: CacheBackend,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    @InjectMetric(CACHE_HITS) private readonly hits: Counter<string>,
    @InjectMetric(CACHE_MISSES) private readonly misses: Counter<string>,
    private readonly versions: DataVersions,
  ) {
    this.cache = createCache({ stores: [backend.keyv] });
    this.cache.on('get', ({ error }) => {
      if (error) this.degrade(error instanceof Error ? error.message : String(error));
    });
  }

  async onModuleDestroy(): Promise<void> {
    // A cache holds nothing worth flushing, and a graceful QUIT waits forever while Redis is down: close at once.
    const store = this.backend.keyv.store as { disconnect?: (force?: boolean) => Promise<void> } | undefined;
    if (this.backend.kind === 'redis' && typeof store?.disconnect === 'function')
      await store.disconnect(true).catch(() => undefined);
    else await this.cache.disconnect();
  }

  /**
   * The cached value for `key`, or the loader's result (stored for the class's TTL). A hit is any call that did not
   * run the loader, including one that joined an in-flight load; a miss is a call that ran it.
   */
  getOrLoad<T>(key: string, ttlClass: TtlClass, loader: () => Promise<T>): Promise<T> {
    const caller = currentUpstreamSignal();
    const shared = this.inflight.get(key);
    if (shared && !shared.controller.signal.aborted) {
      this.hits.inc({ ttl_class: ttlClass });
      shared.join(caller);
      return shared.promise as Promise<T>;
    }
    const flight = new Flight();
    flight.join(caller);
    // The loader sees the flight's signal instead of the first caller's (see Flight).
    const promise = detachedFromUpstreamSignal(() =>
      withUpstreamSignal(flight.controller.signal, () => this.readThrough(key, ttlClass, loader)),
    );
    flight.promise = promise;
    this.inflight.set(key, flight);
    const settle = (): void => {
      if (this.inflight.get(key) === flight) this.inflight.delete(key);
    };
    void promise.then(settle, settle);
    return promise;
  }

  /** The value stored under `key` by `put`, if not expired (no loader, no single-flight: the caller decides). */
  async peek<T>(key: string): Promise<T | undefined> {
    const stored = await this.guard('get', () => this.cache.get<Envelope>(key));
    return isEnvelope(stored) && stored.exp > this.clock.nowMs() ? (stored.v as T) : undefined;
  }

  /** Stores `value` for `ttlSeconds` (0: nothing stored). Callers treat stored values as read-only. */
  async put(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (ttlSeconds <= 0) return;
    const envelope: Envelope = { v: value, exp: this.clock.nowMs() + ttlSeconds * 1000 };
    await this.guard('set', () => this.cache.set(key, envelope, ttlSeconds * 1000));
    await this.trimMemory();
  }

  /** Drops keys starting with `keyPrefix` (all keys without one). Redis clears its whole namespace either way. */
  async invalidate(keyPrefix?: string): Promise<void> {
    this.generation++;
    for (const key of [...this.inflight.keys()])
      if (!keyPrefix || key.startsWith(keyPrefix)) this.inflight.delete(key);
    const { keyv, kind } = this.backend;
    if (!keyPrefix || kind === 'redis' || !keyv.iterator) {
      await this.guard('clear', () => this.cache.clear());
      return;
    }
    const matching: string[] = [];
    for await (const [key] of keyv.iterator(undefined))
      if (typeof key === 'string' && key.startsWith(keyPrefix)) matching.push(key);
    if (matching.length) await this.cache.mdel(matching);
  }

  private async readThrough<T>(key: string, ttlClass: TtlClass, loader: () => Promise<T>): Promise<T> {
    const ttlSeconds = this.config.cache.ttlSeconds[ttlClass] ?? 0;
    if (ttlSeconds > 0) {
      const stored = await this.guard('get', () => this.cache.get<Envelope>(key));
      if (isEnvelope(stored) && stored.exp > this.clock.nowMs()) {
        this.hits.inc({ ttl_class: ttlClass });
        return stored.v as T;
      }
    }
    this.misses.inc({ ttl_class: ttlClass });
    const generation = this.generation;
    const value = await loader();
    // A re-read source snapshot: whole answers built from the previous one are stale now.
    this.versions.bump(SNAPSHOT_READS);
    if (ttlSeconds > 0 && generation === this.generation) {
      const envelope: Envelope = { v: value, exp: this.clock.nowMs() + ttlSeconds * 1000 };
      await this.guard('set', () => this.cache.set(key, envelope, ttlSeconds * 1000));
      await this.trimMemory();
    }
    return value;
  }

  /** Runs a store call with a deadline; a failure reads as "nothing stored" and marks the store degraded. */
  private async guard<R>(op: 'get' | 'set' | 'clear', call: () => Promise<R>): Promise<R | undefined> {
    if (this.degraded && op !== 'clear') {
      if (op === 'get' || this.clock.nowMs() < this.probeAtMs) return undefined;
      this.probeAtMs = this.clock.nowMs() + DEGRADED_PROBE_EVERY_MS;
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`cache ${op} took longer than ${STORE_TIMEOUT_MS} ms`)),
        STORE_TIMEOUT_MS,
      );
    });
    try {
      const result = await Promise.race([call(), deadline]);
      // cache-manager swallows read errors but rethrows write errors, so only a write proves the store is back.
      if (op === 'set') this.recovered();
      return result;
    } catch (e) {
      this.degrade((e as Error).message);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Logged once per outage, not once per request. */
  private degrade(reason: string): void {
    if (!this.degraded)
      this.logger.warn(`cache store failed (${reason}); loading without the cache until it recovers`);
    if (!this.degraded) this.probeAtMs = this.clock.nowMs() + DEGRADED_PROBE_EVERY_MS;
    this.degraded = true;
  }

  private recovered(): void {
    if (this.degraded) this.logger.log('cache store is answering again');
    this.degraded = false;
  }

  /** Keyv's Map store only drops expired keys when they are read; keep it bounded for distinct-filter keys. */
  private async trimMemory(): Promise<void> {
    const { memory, keyv } = this.backend;
    if (!memory || memory.size <= MAX_MEMORY_ENTRIES) return;
    // Iterating makes Keyv delete what has expired.
    if (keyv.iterator) for await (const _entry of keyv.iterator(undefined)) void _entry;
    for (const key of memory.keys()) {
      if (memory.size <= MAX_MEMORY_ENTRIES * 0.9) break;
      memory.delete(key); // insertion order: the oldest first
    }
  }
}

function isEnvelope(value: unknown): value is Envelope {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { exp?: unknown }).exp === 'number' &&
    'v' in value
  );
}
