import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';

/** How long a replica's published count stays valid without a refresh: a crashed replica's count lapses after it. */
export const REPLICA_ENTRY_TTL_MS = 15_000;
/** How often a replica re-publishes its counts (also where completed subscriptions are finally subtracted). */
export const HEARTBEAT_MS = 5_000;
const KEY_PREFIX = 'kcloud:subscriptions:';
const WARN_EVERY_MS = 30_000;

// Atomic check-and-claim: the other replicas' live counts plus ours (the new operation included) against the limit;
// expired entries (a replica that stopped refreshing) are dropped on the way. Redis' own clock, so replicas' clocks
// need not agree. Values are "<count>:<expires at, ms>".
const CHECK = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local total = tonumber(ARGV[2])
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  if fields[i] ~= ARGV[1] then
    local count, expires = string.match(fields[i + 1], '^(%d+):(%d+)$')
    if count and tonumber(expires) > now then total = total + tonumber(count)
    else redis.call('HDEL', KEYS[1], fields[i]) end
  end
end
if total > tonumber(ARGV[3]) then return {0, total} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. (now + tonumber(ARGV[4])))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {1, total}`;

const PUBLISH = `
if tonumber(ARGV[2]) == 0 then return redis.call('HDEL', KEYS[1], ARGV[1]) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. (now + tonumber(ARGV[3])))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

export type SubscriptionDecision =
  | { readonly ok: true }
  | { readonly ok: false; readonly limit: number; readonly active: number };

/** Part of this replica's active subscriptions per key name (graphql-ws operations; SSE streams). */
export type LocalCounts = () => ReadonlyMap<string, number>;

/**
 * MAX_SUBSCRIPTIONS_PER_KEY across replicas. Without Redis, the count is this replica's. With REDIS_URL, each replica
 * publishes its own count per key in one Redis hash (field = replica id, value = count with an expiry) when it admits
 * an operation and every HEARTBEAT_MS; an operation is admitted when the live counts of the other replicas plus this
 * one's stay within the limit, checked and recorded in one script so two replicas cannot both take the last slot. A
 * replica that dies stops refreshing and its count lapses after REPLICA_ENTRY_TTL_MS; one that stops cleanly removes
 * its entries. A finished subscription is subtracted at the next heartbeat. When Redis does not answer, this
 * replica's own count decides (fail open to the per-replica cap, as the rate limiter does).
 */
export class SubscriptionQuota implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Subscriptions');
  private readonly replica = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  private readonly published = new Set<string>();
  private readonly sources: LocalCounts[] = [];
  private timer?: NodeJS.Timeout;
  private lastWarning = 0;

  constructor(
    private readonly limit: number,
    private readonly redis?: Redis,
  ) {}

  /** Adds a source of this replica's counts (WsAccess for graphql-ws operations, KeyLeases for SSE streams). */
  countFrom(source: LocalCounts): void {
    this.sources.push(source);
  }

  /** This replica's active subscriptions per key, every source summed. */
  localCounts(): Map<string, number> {
    const total = new Map<string, number>();
    for (const source of this.sources)
      for (const [name, n] of source()) total.set(name, (total.get(name) ?? 0) + n);
    return total;
  }

  onModuleInit(): void {
    if (!this.redis) return;
    this.timer = setInterval(() => void this.heartbeat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    if (!this.redis) return;
    await Promise.all(
      [...this.published].map((name) => this.redis!.hdel(KEY_PREFIX + name, this.replica).catch(() => 0)),
    );
    await this.redis.quit().catch(() => this.redis!.disconnect());
  }

  /** Whether `principalName` may hold `activeHere` subscriptions on this replica (the new one counted already). */
  async check(principalName: string, activeHere: number): Promise<SubscriptionDecision> {
    const refusal = { ok: false as const, limit: this.limit, active: activeHere };
    if (!this.redis) return activeHere > this.limit ? refusal : { ok: true };
    try {
      const [ok, total] = (await this.redis.eval(
        CHECK,
        1,
        KEY_PREFIX + principalName,
        this.replica,
        String(activeHere),
        String(this.limit),
        String(REPLICA_ENTRY_TTL_MS),
      )) as [number, number];
      if (ok !== 1) return { ...refusal, active: total };
      this.published.add(principalName);
      return { ok: true };
    } catch (e) {
      this.warn(e);
      return activeHere > this.limit ? refusal : { ok: true };
    }
  }

  /** Re-publishes every count this replica holds or held (0 removes its entry). */
  async heartbeat(): Promise<void> {
    if (!this.redis) return;
    const counts = this.localCounts();
    const names = new Set([...this.published, ...counts.keys()]);
    try {
      await Promise.all(
        [...names].map(async (name) => {
          const n = counts.get(name) ?? 0;
          await this.redis!.eval(
            PUBLISH,
            1,
            KEY_PREFIX + name,
            this.replica,
            String(n),
            String(REPLICA_ENTRY_TTL_MS),
          );
          if (n === 0) this.published.delete(name);
          else this.published.add(name);
        }),
      );
    } catch (e) {
      this.warn(e);
    }
  }

  private warn(e: unknown): void {
    if (Date.now() - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = Date.now();
    this.logger.warn(`subscription cap counted per replica, Redis did not answer: ${(e as Error).message}`);
  }
}
