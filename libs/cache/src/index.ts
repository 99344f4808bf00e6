export { CacheModule } from './cache.module';
export { CacheService, MAX_MEMORY_ENTRIES, STORE_TIMEOUT_MS } from './cache.service';
export { CACHE_BACKEND, createCacheBackend, REDIS_NAMESPACE, type CacheBackend } from './cache-backend';
export { CACHE_HITS, CACHE_MISSES } from './cache.metrics';
export { decode, encode } from './cache-codec';
export type { TtlClass } from '@kcloud/common';
