import DataLoader from 'dataloader';
import type { CacheService } from '@kcloud/cache';
import {
  type PartialErrorsContext,
  type PartialResult,
  reportClusterFailures,
  type TenantScope,
} from '@kcloud/common';
import { RequestMemo } from './request-memo';

/** Answers the keys one tick of one request asked for, in their order. */
export type RequestBatch<K, V> = (
  keys: readonly K[],
  context: PartialErrorsContext,
  scope: TenantScope,
) => Promise<V[]>;

/**
 * A DataLoader per request (its GraphQL context object): every key a response asks for in one tick becomes one
 * `batch` call, whatever the number of parents; the loader lives as long as the request.
 */
export class PerRequestLoader<K, V> {
  private readonly memo = new RequestMemo<DataLoader<K, V, string>>();

  constructor(
    private readonly batch: RequestBatch<K, V>,
    private readonly cacheKeyFn?: (key: K) => string,
  ) {}

  for(context: PartialErrorsContext, scope: TenantScope): DataLoader<K, V, string> {
    return this.memo.of(
      context,
      () =>
        new DataLoader<K, V, string>(
          (keys) => this.batch(keys, context, scope),
          this.cacheKeyFn ? { cacheKeyFn: this.cacheKeyFn } : {},
        ),
    );
  }
}

/**
 * A realtime-cached source read for a loader: its cluster failures go onto the request as errors beside the data
 * (never an empty answer in their place), its items are returned.
 */
export async function realtimeRead<T>(
  cache: CacheService,
  context: PartialErrorsContext,
  key: string,
  read: () => Promise<PartialResult<T>>,
): Promise<readonly T[]> {
  const { items, failures } = await cache.getOrLoad(key, 'realtime', read);
  reportClusterFailures(context, failures);
  return items;
}
