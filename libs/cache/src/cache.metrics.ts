import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

export const CACHE_HITS = 'cache_hits_total';
export const CACHE_MISSES = 'cache_misses_total';

export const cacheMetricProviders = [
  makeCounterProvider({
    name: CACHE_HITS,
    help: 'Cache lookups answered from the cache, by TTL class',
    labelNames: ['ttl_class'],
  }),
  makeCounterProvider({
    name: CACHE_MISSES,
    help: 'Cache lookups that had to load, by TTL class',
    labelNames: ['ttl_class'],
  }),
];
