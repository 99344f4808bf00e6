import { Logger, type OnModuleDestroy } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';

type Record = Awaited<ReturnType<ThrottlerStorage['increment']>>;

// One round trip, atomic: count the hit (by its weight), start the window on the first one, and read how long it has left.
const INCREMENT = `
local hits = redis.call('INCRBY', KEYS[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {hits, ttl}`;

const KEY_PREFIX = 'kcloud:rate:';
const WARN_EVERY_MS = 30_000;

/**
 * Rate-limit counters in Redis, so every replica behind one REDIS_URL spends the same per-key budget (in memory, N
 * replicas would grant N times the limit). The same window as @nestjs/throttler's memory storage: it opens at a key's
 * first hit and lasts `ttl`. When Redis cannot answer, requests are admitted (and a warning logged at most every
 * 30 s): an outage of the counter must not take the API down with it.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly logger = new Logger('RateLimit');
  private lastWarning = 0;

  constructor(private readonly redis: Redis) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration = 0,
    _throttlerName = '',
    weight = 1,
  ): Promise<Record> {
    try {
      const by = String(Math.max(0, Math.ceil(weight)));
      const [hits, ttlMs] = (await this.redis.eval(INCREMENT, 1, KEY_PREFIX + key, String(ttl), by)) as [
        number,
        number,
      ];
      const seconds = Math.max(1, Math.ceil(ttlMs / 1000));
      const isBlocked = hits > limit;
      return {
        totalHits: hits,
        timeToExpire: seconds,
        isBlocked,
        timeToBlockExpire: isBlocked ? seconds : 0,
      };
    } catch (e) {
      if (Date.now() - this.lastWarning > WARN_EVERY_MS) {
        this.lastWarning = Date.now();
        this.logger.warn(`rate limits not enforced, Redis did not answer: ${(e as Error).message}`);
      }
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
