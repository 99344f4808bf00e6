import { Test } from '@nestjs/testing';
import { Keyv, type KeyvStoreAdapter } from 'keyv';
import { Counter, register, Registry } from 'prom-client';
import {
  type AppConfig,
  type Clock,
  ConfigModule,
  currentUpstreamSignal,
  loadConfig,
  withUpstreamSignal,
} from '@kcloud/common';
import { CACHE_BACKEND, type CacheBackend, createCacheBackend } from './cache-backend';
import { decode, encode, taggedDeserialize, taggedSerialize } from './cache-codec';
import { CacheModule } from './cache.module';
import { CacheService, DEGRADED_PROBE_EVERY_MS, MAX_MEMORY_ENTRIES, STORE_TIMEOUT_MS } from './cache.service';
import { DataVersions } from './data-versions';

class FakeClock implements Clock {
  ms = 1_700_000_000_000;
  now(): Date {
    return new Date(this.ms);
  }
  nowMs(): number {
    return this.ms;
  }
}

const memoryBackend = (): CacheBackend => createCacheBackend(loadConfig({}));
/** What Redis does to values: a JSON round trip through the tagged codec (in a Map, so no server is needed). */
const serializingBackend = (): CacheBackend => ({
  kind: 'redis',
  keyv: new Keyv({ store: new Map(), serialize: taggedSerialize, deserialize: taggedDeserialize }),
});

function make(env: Record<string, string> = {}, backend: CacheBackend = memoryBackend()) {
  const registry = new Registry();
  const hits = new Counter({ name: 'h', help: 'h', labelNames: ['ttl_class'], registers: [registry] });
  const misses = new Counter({ name: 'm', help: 'm', labelNames: ['ttl_class'], registers: [registry] });
  const clock = new FakeClock();
  const config: AppConfig = loadConfig(env);
  const service = new CacheService(backend, config, clock, hits, misses, new DataVersions());
  const count = async (c: Counter<string>): Promise<number> =>
    (await c.get()).values.reduce((a, v) => a + v.value, 0);
  return { service, clock, backend, hits: () => count(hits), misses: () => count(misses) };
}

/** A loader whose promise the test resolves, to hold a load in flight. */
function gate<T>(): { loader: jest.Mock<Promise<T>, []>; release: (v: T) => void } {
  let release: (v: T) => void = () => undefined;
  const loader = jest.fn(() => new Promise<T>((resolve) => (release = resolve)));
  return { loader, release: (v) => release(v) };
}

describe('CacheService', () => {
  it('loads once, then answers from the cache, counting hits and misses', async () => {
    const { service, hits, misses } = make();
    const loader = jest.fn(async () => ({ at: new Date(0), n: 1 }));
    const a = await service.getOrLoad('k', 'realtime', loader);
    const b = await service.getOrLoad('k', 'realtime', loader);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(b).toBe(a); // the memory store keeps the reference: no copy on a hit
    expect(b.at).toBeInstanceOf(Date);
    expect([await hits(), await misses()]).toEqual([1, 1]);
  });

  it('caches falsy values too', async () => {
    const { service } = make();
    const loader = jest.fn(async () => null);
    await service.getOrLoad('nil', 'static', loader);
    expect(await service.getOrLoad('nil', 'static', loader)).toBeNull();
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('shares one in-flight load among 100 concurrent callers', async () => {
    const { service, hits, misses } = make();
    const { loader, release } = gate<number>();
    const calls = Array.from({ length: 100 }, () => service.getOrLoad('same', 'summary', loader));
    await new Promise((r) => setImmediate(r));
    release(42);
    expect(await Promise.all(calls)).toEqual(Array(100).fill(42));
    expect(loader).toHaveBeenCalledTimes(1);
    expect([await hits(), await misses()]).toEqual([99, 1]);
  });

  it('does not cache a failed load; every waiter sees the failure and the next call retries', async () => {
    const { service } = make();
    const loader = jest.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValueOnce('ok');
    const first = service.getOrLoad('f', 'realtime', loader);
    const joined = service.getOrLoad('f', 'realtime', loader);
    await expect(first).rejects.toThrow('down');
    await expect(joined).rejects.toThrow('down');
    await expect(service.getOrLoad('f', 'realtime', loader)).resolves.toBe('ok');
    expect(loader).toHaveBeenCalledTimes(2);
  });

  it('bypasses the store for a TTL class set to 0 but still single-flights', async () => {
    const { service, backend } = make({ CACHE_TTL_REALTIME_SECONDS: '0' });
    const loader = jest.fn(async () => 1);
    await Promise.all([
      service.getOrLoad('z', 'realtime', loader),
      service.getOrLoad('z', 'realtime', loader),
    ]);
    await service.getOrLoad('z', 'realtime', loader);
    expect(loader).toHaveBeenCalledTimes(2);
    expect(backend.memory?.size).toBe(0);
  });

  it('expires entries after their TTL class, measured on the injected clock', async () => {
    const { service, clock } = make({ CACHE_TTL_REALTIME_SECONDS: '30', CACHE_TTL_STATIC_SECONDS: '3600' });
    const loader = jest.fn(async () => 'v');
    await service.getOrLoad('t', 'realtime', loader);
    await service.getOrLoad('s', 'static', loader);
    clock.ms += 29_000;
    await service.getOrLoad('t', 'realtime', loader);
    expect(loader).toHaveBeenCalledTimes(2);
    clock.ms += 2_000;
    await service.getOrLoad('t', 'realtime', loader);
    await service.getOrLoad('s', 'static', loader);
    expect(loader).toHaveBeenCalledTimes(3);
  });

  it('invalidates by key prefix, or everything', async () => {
    const { service } = make();
    const loader = jest.fn(async () => 1);
    await service.getOrLoad('gpus:a', 'realtime', loader);
    await service.getOrLoad('nodes:a', 'realtime', loader);
    await service.invalidate('gpus:');
    await service.getOrLoad('gpus:a', 'realtime', loader);
    await service.getOrLoad('nodes:a', 'realtime', loader);
    expect(loader).toHaveBeenCalledTimes(3);
    await service.invalidate();
    await service.getOrLoad('nodes:a', 'realtime', loader);
    expect(loader).toHaveBeenCalledTimes(4);
  });

  it('does not store a load that was in flight when the key was invalidated', async () => {
    const { service } = make();
    const { loader, release } = gate<string>();
    const stale = service.getOrLoad('k', 'realtime', loader);
    await new Promise((r) => setImmediate(r));
    await service.invalidate('k');
    const fresh = service.getOrLoad('k', 'realtime', async () => 'fresh');
    release('stale');
    expect([await stale, await fresh]).toEqual(['stale', 'fresh']);
    expect(await service.getOrLoad('k', 'realtime', async () => 'reloaded')).toBe('fresh');
  });

  it('revives Dates and returns copies when values go through a serialising store (Redis)', async () => {
    const { service, hits } = make({}, serializingBackend());
    const value = {
      items: [{ observedAt: new Date('2025-01-02T03:04:05.678Z'), watts: 300.5 }],
      label: '2025-01-02T03:04:05.678Z',
    };
    await service.getOrLoad('gpus', 'realtime', async () => value);
    const cached = await service.getOrLoad<typeof value>('gpus', 'realtime', async () => ({
      items: [],
      label: '',
    }));
    expect(cached).toEqual(value);
    expect(cached).not.toBe(value);
    expect(cached.items[0]?.observedAt).toBeInstanceOf(Date);
    expect(cached.label).toBe(value.label);
    expect(await hits()).toBe(1);
  });

  it('keeps serving from the loader when the store fails', async () => {
    const broken: KeyvStoreAdapter = Object.assign(new Map(), {
      get: async () => Promise.reject(new Error('ECONNREFUSED')),
      set: async () => Promise.reject(new Error('ECONNREFUSED')),
    }) as unknown as KeyvStoreAdapter;
    const keyv = new Keyv({ store: broken, throwOnErrors: true });
    keyv.on('error', () => undefined);
    const { service } = make({}, { kind: 'redis', keyv });
    const loader = jest.fn(async () => 7);
    expect(await service.getOrLoad('k', 'realtime', loader)).toBe(7);
    expect(await service.getOrLoad('k', 'realtime', loader)).toBe(7);
    expect(loader).toHaveBeenCalledTimes(2);
  });

  it('treats a store that hangs as a miss after STORE_TIMEOUT_MS', async () => {
    jest.useFakeTimers();
    try {
      const hanging = Object.assign(new Map(), {
        get: () => new Promise(() => undefined),
        set: () => new Promise(() => undefined),
      });
      const { service } = make(
        {},
        { kind: 'redis', keyv: new Keyv({ store: hanging as unknown as KeyvStoreAdapter }) },
      );
      const result = service.getOrLoad('k', 'realtime', async () => 'loaded');
      await jest.advanceTimersByTimeAsync(STORE_TIMEOUT_MS); // the read gives up
      await jest.advanceTimersByTimeAsync(STORE_TIMEOUT_MS); // the write gives up
      await expect(result).resolves.toBe('loaded');
    } finally {
      jest.useRealTimers();
    }
  });

  it('while the store fails, skips it: reads are misses at once, one write a second tests it, a write that works ends it', async () => {
    let down = true;
    const calls = { get: 0, set: 0 };
    const map = new Map<string, unknown>();
    const flaky = Object.assign(new Map(), {
      get: async (k: string) => (calls.get++, down ? Promise.reject(new Error('ECONNREFUSED')) : map.get(k)),
      set: async (k: string, v: unknown) => (
        calls.set++,
        down ? Promise.reject(new Error('ECONNREFUSED')) : map.set(k, v)
      ),
    }) as unknown as KeyvStoreAdapter;
    const keyv = new Keyv({ store: flaky, throwOnErrors: true });
    keyv.on('error', () => undefined);
    const { service, clock } = make({}, { kind: 'redis', keyv });
    expect(await service.getOrLoad('a', 'realtime', async () => 1)).toBe(1); // the failure that degrades
    const touched = calls.get + calls.set;
    for (let i = 0; i < 20; i++) expect(await service.getOrLoad(`k${i}`, 'realtime', async () => i)).toBe(i);
    expect(calls.get + calls.set).toBe(touched);

    clock.ms += DEGRADED_PROBE_EVERY_MS;
    await service.getOrLoad('b', 'realtime', async () => 2); // its write is the probe, still failing
    await service.getOrLoad('c', 'realtime', async () => 3);
    expect(calls.get + calls.set).toBe(touched + 1);

    down = false;
    clock.ms += DEGRADED_PROBE_EVERY_MS;
    await service.getOrLoad('d', 'realtime', async () => 4); // the probe write works: the store is back
    const loader = jest.fn(async () => 5);
    expect(await service.getOrLoad('d', 'realtime', loader)).toBe(4);
    expect(loader).not.toHaveBeenCalled();
  });

  it('keeps the memory store bounded', async () => {
    const { service, backend } = make();
    for (let i = 0; i <= MAX_MEMORY_ENTRIES; i++) await service.getOrLoad(`k${i}`, 'static', async () => i);
    expect(backend.memory!.size).toBeLessThanOrEqual(MAX_MEMORY_ENTRIES);
    expect(await service.getOrLoad(`k${MAX_MEMORY_ENTRIES}`, 'static', async () => -1)).toBe(
      MAX_MEMORY_ENTRIES,
    );
  });
});

describe('CacheService single-flight and upstream cancellation', () => {
  /** A load that records the ambient upstream signal it runs under, and ends when released or aborted. */
  function watchedLoad() {
    let seen: AbortSignal | undefined;
    let release: (v: string) => void = () => undefined;
    const loader = jest.fn(
      () =>
        new Promise<string>((resolve, reject) => {
          seen = currentUpstreamSignal();
          release = resolve;
          seen?.addEventListener('abort', () => reject(new Error('aborted upstream')));
        }),
    );
    return { loader, signal: () => seen, release: (v: string) => release(v) };
  }
  const call = (service: CacheService, caller: AbortController | undefined, loader: () => Promise<string>) =>
    caller
      ? withUpstreamSignal(caller.signal, () => service.getOrLoad('shared', 'realtime', loader))
      : service.getOrLoad('shared', 'realtime', loader);

  it('does not abort a shared load when one of its waiting callers is cancelled', async () => {
    const { service } = make();
    const { loader, signal, release } = watchedLoad();
    const [first, second] = [new AbortController(), new AbortController()];
    const a = call(service, first, loader);
    const b = call(service, second, loader);
    await new Promise((r) => setImmediate(r));
    // The load runs under its own signal, not the first caller's.
    expect(signal()).toBeDefined();
    expect(signal()).not.toBe(first.signal);
    first.abort();
    expect(signal()!.aborted).toBe(false);
    release('value');
    await expect(Promise.all([a, b])).resolves.toEqual(['value', 'value']);
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('aborts the shared load once every waiting caller is cancelled, and the next caller loads afresh', async () => {
    const { service } = make();
    const { loader, signal } = watchedLoad();
    const callers = [new AbortController(), new AbortController()];
    const pending = callers.map((c) => call(service, c, loader).catch((e: Error) => e.message));
    await new Promise((r) => setImmediate(r));
    callers[0]!.abort();
    expect(signal()!.aborted).toBe(false);
    callers[1]!.abort();
    expect(signal()!.aborted).toBe(true);
    expect(await Promise.all(pending)).toEqual(['aborted upstream', 'aborted upstream']);
    const next = watchedLoad();
    const fresh = call(service, new AbortController(), next.loader);
    await new Promise((r) => setImmediate(r));
    next.release('again');
    await expect(fresh).resolves.toBe('again');
  });

  it('keeps a shared load alive while a caller without a signal (background work) waits for it', async () => {
    const { service } = make();
    const { loader, signal, release } = watchedLoad();
    const cancelled = new AbortController();
    const a = call(service, cancelled, loader).catch(() => 'cancelled caller');
    const b = call(service, undefined, loader);
    await new Promise((r) => setImmediate(r));
    cancelled.abort();
    expect(signal()!.aborted).toBe(false);
    release('kept');
    await expect(Promise.all([a, b])).resolves.toEqual(['kept', 'kept']);
  });
});

describe('cache codec (Redis store)', () => {
  it('round-trips Dates nested in arrays and objects, leaving ISO-looking strings alone', () => {
    const value = {
      items: [{ observedAt: new Date('2026-11-23T10:00:00.000Z'), n: 1 }],
      at: [new Date(0)],
      s: '2026-11-23T10:00:00.000Z',
    };
    const back = decode<typeof value>(encode(value));
    expect(back).toEqual(value);
    expect(back.items[0]?.observedAt).toBeInstanceOf(Date);
    expect(typeof back.s).toBe('string');
  });

  it('keeps an invalid Date invalid and does not mistake a richer object for a Date tag', () => {
    const back = decode<{ bad: Date; tagLike: object }>(
      encode({ bad: new Date(NaN), tagLike: { $date: 'x', other: 1 } }),
    );
    expect(Number.isNaN(back.bad.getTime())).toBe(true);
    expect(back.tagLike).toEqual({ $date: 'x', other: 1 });
  });
});

describe('createCacheBackend', () => {
  it('uses memory without REDIS_URL and Redis with tagged JSON when it is set', async () => {
    expect(createCacheBackend(loadConfig({})).kind).toBe('memory');
    const redis = createCacheBackend(loadConfig({ REDIS_URL: 'redis://127.0.0.1:1' }));
    expect(redis.kind).toBe('redis');
    expect(redis.keyv.serialize).toBe(taggedSerialize);
    expect(redis.keyv.deserialize).toBe(taggedDeserialize);
  });
});

describe('CacheModule', () => {
  it("provides CacheService with counters in the default registry, without willsoto's module", async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.fromConfig(loadConfig({})), CacheModule],
    }).compile();
    const service = moduleRef.get(CacheService);
    expect(moduleRef.get<CacheBackend>(CACHE_BACKEND).kind).toBe('memory');
    await service.getOrLoad('m', 'summary', async () => 1);
    await service.getOrLoad('m', 'summary', async () => 1);
    expect(await register.getSingleMetricAsString('cache_hits_total')).toMatch(
      /cache_hits_total\{ttl_class="summary"\} [1-9]/,
    );
    expect(await register.getSingleMetricAsString('cache_misses_total')).toMatch(
      /cache_misses_total\{ttl_class="summary"\} [1-9]/,
    );
    await moduleRef.close();
  });
});
