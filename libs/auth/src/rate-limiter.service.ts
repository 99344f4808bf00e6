import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';

export interface RateDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the oldest counted request leaves the window (0 when allowed). */
  readonly retryAfterSeconds: number;
}

const WINDOW_MS = 60_000;
const THROTTLER_NAME = 'per-key';

/** A throttler storage whose hits may weigh more than one (RedisThrottlerStorage, MemoryThrottlerStorage). */
export interface WeightedThrottlerStorage extends ThrottlerStorage {
  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
    weight?: number,
  ): ReturnType<ThrottlerStorage['increment']>;
}

/**
 * One one-minute window per principal (opened by its first request), shared by REST routes, GraphQL over HTTP and operations sent over
 * graphql-ws, so a key cannot double its budget by switching transport. Backed by a throttler storage: Redis
 * when REDIS_URL is set (one budget across replicas), else memory (per replica).
 *
 * The budget is in units: a request costs 1, a GraphQL operation that reads Prometheus costs its upstream units
 * (query-cost.ts), so 1,200 aliased range reads in one request spend 1,200+ units, not 1.
 */
@Injectable()
export class RateLimiter {
  constructor(@Inject(ThrottlerStorage) private readonly storage: WeightedThrottlerStorage) {}

  async hit(principalName: string, limitPerMinute: number, cost = 1): Promise<RateDecision> {
    // blockDuration 0: no penalty box, a caller over the limit is admitted again as soon as old hits expire.
    const r = await this.storage.increment(
      `principal:${principalName}`,
      WINDOW_MS,
      limitPerMinute,
      0,
      THROTTLER_NAME,
      cost,
    );
    return {
      allowed: !r.isBlocked,
      limit: limitPerMinute,
      remaining: Math.max(0, limitPerMinute - r.totalHits),
      retryAfterSeconds: r.isBlocked ? Math.max(1, r.timeToBlockExpire) : 0,
    };
  }
}

export function rateLimitMessage(decision: RateDecision): string {
  return (
    `rate limit of ${decision.limit} requests per minute exceeded (a request costs 1 unit, a GraphQL query that reads ` +
    `Prometheus its upstream units); retry after ${decision.retryAfterSeconds} s`
  );
}
