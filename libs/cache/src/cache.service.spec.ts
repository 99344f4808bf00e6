import { loadConfig } from '@kcloud/common';
import { Counter, Registry } from 'prom-client';
import { decode, encode } from './cache-codec';
import { CacheService } from './cache.service';

function make(env: Record<string, string> = {}) {
  const registry = new Registry();
  const hits = new Counter({ name: 'h', help: 'h', labelNames: ['ttl_class'], registers: [registry] });
  const misses = new Counter({ name: 'm', help: 'm', labelNames: ['ttl_class'], registers: [registry] });
  const service = new CacheService(loadConfig(env), hits, misses);
  const count = async (c: Counter<string>) => (await c.get()).values.reduce((a, v) => a + v.value, 0);
  return { service, hits: () => count(hits), misses: () => count(misses) };
}

describe('CacheService', () => {
  it('loads once, then answers from the cache, counting hits and misses', async () => {
    const { service, hits, misses } = make();
    const loader = jest.fn(async () => ({ at: new Date(0), n: 1 }));
    const a = await service.getOrLoad('k', 'realtime', loader);
    const b = await service.getOrLoad('k', 'realtime', loader);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(b).toBe(a);
    expect(b.at).toBeInstanceOf(Date);
    expect([await hits(), await misses()]).toEqual([1, 1]);
  });

  it('shares one in-flight load among 100 concurrent callers', async () => {
    const { service } = make();
    let release: ((v: number) => void) | undefined;
    const loader = jest.fn(() => new Promise<number>((r) => (release = r)));
    const calls = Array.from({ length: 100 }, () => service.getOrLoad('same', 'summary', loader));
    while (!release) await new Promise((r) => setImmediate(r));
    release(42);
    expect(await Promise.all(calls)).toEqual(Array(100).fill(42));
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('does not cache a failed load; the next call retries', async () => {
    const { service } = make();
    const loader = jest.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValueOnce('ok');
    await expect(service.getOrLoad('f', 'realtime', loader)).rejects.toThrow('down');
    await expect(service.getOrLoad('f', 'realtime', loader)).resolves.toBe('ok');
    expect(loader).toHaveBeenCalledTimes(2);
  });

  it('bypasses the cache for a TTL class set to 0 but still single-flights', async () => {
    const { service } = make({ CACHE_TTL_REALTIME_SECONDS: '0' });
    const loader = jest.fn(async () => 1);
    await Promise.all([
      service.getOrLoad('z', 'realtime', loader),
      service.getOrLoad('z', 'realtime', loader),
    ]);
    await service.getOrLoad('z', 'realtime', loader);
    expect(loader).toHaveBeenCalledTimes(2);
  });

  it('expires entries after their TTL class', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    try {
      const { service } = make({ CACHE_TTL_REALTIME_SECONDS: '30' });
      const loader = jest.fn(async () => 'v');
      await service.getOrLoad('t', 'realtime', loader);
      jest.setSystemTime(1_000_000 + 29_000);
      await service.getOrLoad('t', 'realtime', loader);
      expect(loader).toHaveBeenCalledTimes(1);
      jest.setSystemTime(1_000_000 + 31_000);
      await service.getOrLoad('t', 'realtime', loader);
      expect(loader).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('invalidates by key prefix', async () => {
    const { service } = make();
    const loader = jest.fn(async () => 1);
    await service.getOrLoad('gpus:a', 'realtime', loader);
    await service.getOrLoad('nodes:a', 'realtime', loader);
    await service.invalidate('gpus:');
    await service.getOrLoad('gpus:a', 'realtime', loader);
    await service.getOrLoad('nodes:a', 'realtime', loader);
    expect(loader).toHaveBeenCalledTimes(3);
  });
});

describe('cache codec (Redis store)', () => {
  it('round-trips Dates nested in arrays and objects', () => {
    const value = {
      items: [{ observedAt: new Date('2026-11-23T10:00:00.000Z'), n: 1 }],
      s: '2026-11-23T10:00:00.000Z',
    };
    const back = decode<typeof value>(encode(value));
    expect(back.items[0].observedAt).toEqual(value.items[0].observedAt);
    expect(back.s).toBe(value.s);
  });
});
