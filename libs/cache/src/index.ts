export { CacheModule } from './cache.module';
export { CacheService, MAX_MEMORY_ENTRIES, SNAPSHOT_READS, STORE_TIMEOUT_MS } from './cache.service';
export { DataVersions } from './data-versions';
export {
  type AnswerIdentity,
  type CachedAnswer,
  MAX_HOT_BYTES,
  MAX_HOT_ENTRIES,
  MUTATIONS,
  ResponseCache,
  scopeKey,
  type StoredAnswer,
  strongEtag,
} from './response-cache';
export {
  cacheableRequestOf,
  responseCacheHandler,
  type StoredAnswerAdmission,
} from './response-cache.handler';
export {
  type BeforeExpressOptions,
  cachedAnswersBeforeExpress,
  type HitEdge,
  type NodeRequestHandler,
} from './hits-before-express';
export { CACHED_ANSWER_VARY, cachedAnswerHeaders, notModified } from './cached-answer-http';
export { type NarrowMutations, RESPONSE_CACHE_HEADER, responseCachePlugin } from './response-cache.plugin';
export { CACHE_BACKEND, createCacheBackend, REDIS_NAMESPACE, type CacheBackend } from './cache-backend';
export { CACHE_HITS, CACHE_MISSES } from './cache.metrics';
export { decode, encode } from './cache-codec';
export type { TtlClass } from '@kcloud/common';
