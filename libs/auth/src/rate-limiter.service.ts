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

/**
 * One one-minute window per principal (opened by its first request), shared by REST routes, GraphQL over HTTP and operations sent over
 * graphql-ws, so a key cannot double its budget by switching transport. Backed by @nestjs/throttler's storage: Redis
 * when REDIS_URL is set (one budget across replicas), else memory (per replica).
 */
@Injectable()
export class RateLimiter {
  constructor(@Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage) {}

  async hit(principalName: string, limitPerMinute: number): Promise<RateDecision> {
    // blockDuration 0: no penalty box, a caller over the limit is admitted again as soon as old hits expire.
    const r = await this.storage.increment(`principal:${principalName}`, WINDOW_MS, limitPerMinute, 0, THROTTLER_NAME);
    return {
      allowed: !r.isBlocked,
      limit: limitPerMinute,
      remaining: Math.max(0, limitPerMinute - r.totalHits),
      retryAfterSeconds: r.isBlocked ? Math.max(1, r.timeToBlockExpire) : 0,
    };
  }
}

export function rateLimitMessage(decision: RateDecision): string {
  return `rate limit of ${decision.limit} requests per minute exceeded; retry after ${decision.retryAfterSeconds} s`;
}
