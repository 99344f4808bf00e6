import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { createKeyv } from '@keyv/redis';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { type Cache, createCache } from 'cache-manager';
import { Keyv } from 'keyv';
import type { Counter } from 'prom-client';
import { AppConfig, type TtlClass } from '@kcloud/common';
import { decode, encode } from './cache-codec';
import { CACHE_HITS, CACHE_MISSES } from './cache.metrics';

/**
 * Read-through cache with TTL classes and single-flight: concurrent loads of one key share one promise, so N equal
 * requests cost one upstream query. Values are treated as immutable (the memory store returns the same object).
 * A failed load is never cached. With REDIS_URL the store is shared by every replica.
 */
@Injectable()
export class CacheService implements OnModuleDestroy {
  private readonly logger = new Logger(CacheService.name);
  private readonly cache: Cache;
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly keyv: Keyv;

  constructor(
    private readonly config: AppConfig,
    @InjectMetric(CACHE_HITS) private readonly hits: Counter<string>,
    @InjectMetric(CACHE_MISSES) private readonly misses: Counter<string>,
  ) {
    const redisUrl = config.cache.redisUrl;
    this.keyv = redisUrl
      ? new Keyv({
          store: createKeyv(redisUrl).store,
          namespace: 'kcloud',
          serialize: encode,
          deserialize: decode,
        })
      : // No serialisation in memory: references are kept, Dates stay Dates, and nothing is copied.
        new Keyv({ serialize: undefined, deserialize: undefined });
    this.keyv.on('error', (e: unknown) => this.logger.warn(`cache store error: ${String(e)}`));
    this.cache = createCache({ stores: [this.keyv] });
  }

  async getOrLoad<T>(key: string, ttlClass: TtlClass, loader: () => Promise<T>): Promise<T> {
    const ttlMs = this.config.cache.ttlSeconds[ttlClass] * 1000;
    if (ttlMs === 0) {
      this.misses.inc({ ttl_class: ttlClass });
      return this.shared(key, loader);
    }
    const cached = await this.cache.get<T>(key).catch(() => undefined);
    if (cached !== undefined && cached !== null) {
      this.hits.inc({ ttl_class: ttlClass });
      return cached;
    }
    this.misses.inc({ ttl_class: ttlClass });
    return this.shared(key, async () => {
      const value = await loader();
      // A store outage must not fail the request: the value is still good, only not cached.
      await this.cache
        .set(key, value, ttlMs)
        .catch((e: unknown) => this.logger.warn(`cache set failed: ${String(e)}`));
      return value;
    });
  }

  /** Drops cached entries whose key starts with `prefix` (all when omitted). */
  async invalidate(prefix?: string): Promise<void> {
    const store = this.keyv.store as unknown;
    if (prefix && store instanceof Map) {
      for (const k of [...store.keys()])
        if (
          String(k)
            .replace(/^keyv:/, '')
            .startsWith(prefix)
        )
          store.delete(k);
      return;
    }
    await this.cache.clear();
  }

  async onModuleDestroy(): Promise<void> {
    await this.cache.disconnect().catch(() => undefined);
  }

  private shared<T>(key: string, load: () => Promise<T>): Promise<T> {
    const pending = this.inFlight.get(key);
    if (pending) return pending as Promise<T>;
    const promise = load().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }
}
