import type { CacheService } from '@kcloud/cache';
import { ErrorCode, type PartialErrorsContext, UNRESTRICTED } from '@kcloud/common';
import { PerRequestLoader, realtimeRead } from './per-request-loader';
import { RequestMemo } from './request-memo';

describe('RequestMemo', () => {
  it('creates one value per request object and shares it within the request', () => {
    const memo = new RequestMemo<{ n: number }>();
    let created = 0;
    const create = () => ({ n: ++created });
    const a = {};
    const b = {};
    expect(memo.of(a, create)).toBe(memo.of(a, create));
    expect(memo.of(b, create)).not.toBe(memo.of(a, create));
    expect(created).toBe(2);
  });
});

describe('PerRequestLoader', () => {
  it('batches the keys of one tick into one call per request, with that request’s context and scope', async () => {
    const calls: { keys: readonly string[]; context: PartialErrorsContext }[] = [];
    const loaders = new PerRequestLoader<string, string>(async (keys, context) => {
      calls.push({ keys, context });
      return keys.map((k) => k.toUpperCase());
    });
    const first = {} as PartialErrorsContext;
    const second = {} as PartialErrorsContext;
    expect(await Promise.all(['a', 'b', 'a'].map((k) => loaders.for(first, UNRESTRICTED).load(k)))).toEqual([
      'A',
      'B',
      'A',
    ]);
    await loaders.for(second, UNRESTRICTED).load('a');
    expect(calls).toEqual([
      { keys: ['a', 'b'], context: first },
      { keys: ['a'], context: second },
    ]);
  });

  it('keys object keys by cacheKeyFn, so equal refs are read once', async () => {
    const batches: number[] = [];
    const loaders = new PerRequestLoader<{ id: string }, string>(
      async (keys) => {
        batches.push(keys.length);
        return keys.map((k) => k.id);
      },
      (k) => k.id,
    );
    const loader = loaders.for({}, UNRESTRICTED);
    await Promise.all([loader.load({ id: 'x' }), loader.load({ id: 'x' })]);
    expect(batches).toEqual([1]);
  });
});

describe('realtimeRead', () => {
  it('reads through the realtime cache class and reports cluster failures on the request', async () => {
    const keys: string[] = [];
    const cache = {
      getOrLoad: <T>(key: string, ttl: string, load: () => Promise<T>) => {
        keys.push(`${ttl}:${key}`);
        return load();
      },
    } as unknown as CacheService;
    const context: PartialErrorsContext = {};
    const items = await realtimeRead(cache, context, 'k', async () => ({
      items: [1, 2],
      failures: [{ cluster: 'north', code: ErrorCode.CLUSTER_UNAVAILABLE, message: 'down' }],
    }));
    expect(items).toEqual([1, 2]);
    expect(keys).toEqual(['realtime:k']);
    expect(context.partialErrors?.map((e) => e.extensions?.cluster)).toEqual(['north']);
  });
});
