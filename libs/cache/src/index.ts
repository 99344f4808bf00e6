export * from './cache.module';
export * from './cache.service';
export { CACHE_HITS, CACHE_MISSES } from './cache.metrics';
