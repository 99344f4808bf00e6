import type { ThrottlerStorage } from '@nestjs/throttler';

type Record = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Window {
  hits: number;
  readonly endsAt: number;
}

/**
 * Rate-limit counters in memory (one replica), with the same fixed window as RedisThrottlerStorage: it opens at a
 * key's first hit and lasts `ttl`. Unlike @nestjs/throttler's memory storage, which keeps one timestamp per hit, a hit
 * may weigh more than one (a query charged by its upstream cost) at the price of one addition.
 */
export class MemoryThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();

  increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration = 0,
    _throttlerName = '',
    weight = 1,
  ): Promise<Record> {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      this.sweep(now);
      window = { hits: 0, endsAt: now + ttl };
      this.windows.set(key, window);
    }
    window.hits += Math.max(0, weight);
    const seconds = Math.max(1, Math.ceil((window.endsAt - now) / 1000));
    const isBlocked = window.hits > limit;
    return Promise.resolve({
      totalHits: window.hits,
      timeToExpire: seconds,
      isBlocked,
      timeToBlockExpire: isBlocked ? seconds : 0,
    });
  }

  /** Drops ended windows when a new one opens, so idle keys do not accumulate. */
  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (w.endsAt <= now) this.windows.delete(key);
  }
}
