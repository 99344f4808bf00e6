import { createKeyv } from '@keyv/redis';
import { Keyv } from 'keyv';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '@kcloud/common';
import { taggedDeserialize, taggedSerialize } from './cache-codec';

/** DI token of the Keyv store behind CacheService; tests provide their own. */
export const CACHE_BACKEND = Symbol('CACHE_BACKEND');

export interface CacheBackend {
  readonly kind: 'memory' | 'redis';
  readonly keyv: Keyv;
  /** The Map under the memory store, so the service can keep it bounded. */
  readonly memory?: Map<string, unknown>;
}

/** Keys live under this Redis prefix, so `invalidate()` never touches other data in the same database. */
export const REDIS_NAMESPACE = 'kcloud-cache';

/**
 * Redis when REDIS_URL is set (shared by replicas; values JSON with tagged Dates), else an in-process Map that keeps
 * values by reference (no serialisation cost on a hit; callers treat cached values as read-only).
 */
export function createCacheBackend(config: AppConfig): CacheBackend {
  if (config.cache.redisUrl) {
    const keyv = createKeyv(config.cache.redisUrl, { namespace: REDIS_NAMESPACE });
    keyv.serialize = taggedSerialize;
    keyv.deserialize = taggedDeserialize;
    // Keyv reports store failures as events; CacheService already degrades to loading, so only log them.
    const logger = new Logger('CacheBackend');
    keyv.on('error', (e: unknown) => logger.debug(`redis: ${e instanceof Error ? e.message : String(e)}`));
    return { kind: 'redis', keyv };
  }
  const memory = new Map<string, unknown>();
  return {
    kind: 'memory',
    keyv: new Keyv({ store: memory, serialize: undefined, deserialize: undefined }),
    memory,
  };
}
