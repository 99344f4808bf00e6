import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '@kcloud/common';
import { createRedisClient } from './redis-client';

export const LEADER_LOCK_KEY = 'kcloud:analyzer:leader';
const LOCK_TTL_MS = 15_000;
const RENEW_EVERY_MS = 5_000;
// Followers ask every second, so a dead leader is replaced within one TTL (+1 s), not TTL + the renew period.
const TICK_MS = 1_000;

// Renew or release only a lock we still own: another replica may have taken it after our TTL ran out.
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Who runs scheduled work. Without Redis this replica is always the leader. With REDIS_URL the leader holds
 * `SET key <id> NX PX ttl`, renewed every few seconds; if it dies the key expires and another replica takes over.
 * A replica that cannot reach Redis stops considering itself leader (two leaders are worse than a missed cycle).
 */
@Injectable()
export class LeaderLock implements OnModuleInit, OnModuleDestroy {
  readonly id = randomUUID();
  private readonly logger = new Logger(LeaderLock.name);
  private readonly redis?: Redis;
  private leader: boolean;
  private timer?: NodeJS.Timeout;
  private renewedAt = 0;
  private inFlight = false;

  constructor(config: AppConfig) {
    const url = config.cache.redisUrl;
    this.redis = url ? createRedisClient(url, 'leader-lock') : undefined;
    this.leader = !this.redis;
  }

  isLeader(): boolean {
    return this.leader;
  }

  async onModuleInit(): Promise<void> {
    if (!this.redis) return;
    await this.refresh();
    this.timer = setInterval(() => {
      if (!this.leader || Date.now() - this.renewedAt >= RENEW_EVERY_MS) void this.refresh();
    }, TICK_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    if (!this.redis) return;
    if (this.leader) await this.redis.eval(RELEASE, 1, LEADER_LOCK_KEY, this.id).catch(() => undefined);
    this.leader = false;
    this.redis.disconnect();
  }

  private async refresh(): Promise<void> {
    if (this.inFlight) return; // a slow Redis must not stack up ticks
    this.inFlight = true;
    const redis = this.redis!;
    const was = this.leader;
    try {
      if (this.leader)
        this.leader = (await redis.eval(RENEW, 1, LEADER_LOCK_KEY, this.id, String(LOCK_TTL_MS))) === 1;
      if (!this.leader)
        this.leader = (await redis.set(LEADER_LOCK_KEY, this.id, 'PX', LOCK_TTL_MS, 'NX')) === 'OK';
      if (this.leader) this.renewedAt = Date.now();
    } catch (e) {
      this.leader = false;
      this.logger.warn(`leader lock unavailable: ${(e as Error).message}`);
    } finally {
      this.inFlight = false;
    }
    if (was !== this.leader)
      this.logger.log(
        this.leader ? 'this replica is now the leader' : 'this replica is no longer the leader',
      );
  }
}
