import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

export const CACHE_HITS = 'cache_hits_total';
export const CACHE_MISSES = 'cache_misses_total';

/** Reused from prom-client's default registry when present, so they work with or without willsoto's module. */
export const cacheMetricProviders = [
  makeCounterProvider({
    name: CACHE_HITS,
    help: 'getOrLoad calls answered without running the loader (stored value or a shared in-flight load)',
    labelNames: ['ttl_class'],
  }),
  makeCounterProvider({
    name: CACHE_MISSES,
    help: 'getOrLoad calls that ran the loader',
    labelNames: ['ttl_class'],
  }),
];
