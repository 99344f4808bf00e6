import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '@kcloud/common';
import { createRedisClient } from './redis-client';

export const LEADER_LOCK_KEY = 'kcloud:analyzer:leader';
const LOCK_TTL_MS = 15_000;
const RENEW_EVERY_MS = 5_000;
// Followers ask every second, so a dead leader is replaced within one TTL (+1 s), not TTL + the renew period.
const TICK_MS = 1_000;
/**
 * When Redis answers again after an outage (restarted empty: the lock key is gone), a replica that was not leading
 * when it went away waits this long before taking the lock, so the former leader, whose copy of the analyzer state is
 * the newest, takes it back (it may put that state back into an emptied Redis; see SharedState). If the former leader
 * is gone, the others take over after this delay.
 */
const HANDBACK_MS = RENEW_EVERY_MS;
/** DI token for the lock's Redis client (tests); by default one is created from REDIS_URL. */
export const LEADER_LOCK_REDIS = Symbol('LEADER_LOCK_REDIS');

// Renew or release only a lock we still own: another replica may have taken it after our TTL ran out.
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Who runs scheduled work. Without Redis this replica is always the leader. With REDIS_URL the leader holds
 * `SET key <id> NX PX ttl`, renewed every few seconds; if it dies the key expires and another replica takes over.
 * A replica that cannot reach Redis stops considering itself leader (two leaders are worse than a missed cycle).
 * When Redis answers again, the key may still hold this replica's id (a slow moment, nothing lost): it leads on at
 * once. If Redis lost the key, the replica that led before the outage takes it first (HANDBACK_MS).
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
  private changeCount = 0;
  /** Set while Redis fails and for HANDBACK_MS after it answers again: did this replica lead when it went away? */
  private outage?: { ledBefore: boolean; backAt?: number };

  constructor(config: AppConfig, @Optional() @Inject(LEADER_LOCK_REDIS) redis?: Redis) {
    const url = config.cache.redisUrl;
    this.redis = redis ?? (url ? createRedisClient(url, 'leader-lock') : undefined);
    this.leader = !this.redis;
  }

  isLeader(): boolean {
    return this.leader;
  }

  /** How many times this replica became or stopped being the leader (a version for answers that show it). */
  get changes(): number {
    return this.changeCount;
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
      // Renewing first also lets a leader that lost its lock only because Redis did not answer lead on at once.
      let leader = (await redis.eval(RENEW, 1, LEADER_LOCK_KEY, this.id, String(LOCK_TTL_MS))) === 1;
      if (this.outage) this.outage.backAt ??= Date.now();
      if (!leader && !this.leavesLockToFormerLeader())
        leader = (await redis.set(LEADER_LOCK_KEY, this.id, 'PX', LOCK_TTL_MS, 'NX')) === 'OK';
      this.leader = leader;
      if (leader) {
        this.renewedAt = Date.now();
        this.outage = undefined;
      }
    } catch (e) {
      // Logged when the outage starts, not every second while it lasts.
      if (!this.outage || this.outage.backAt !== undefined)
        this.logger.warn(`leader lock unavailable: ${(e as Error).message}`);
      this.outage ??= { ledBefore: this.leader };
      this.outage.backAt = undefined;
      this.leader = false;
    } finally {
      this.inFlight = false;
    }
    if (was !== this.leader) this.changeCount++;
    if (was !== this.leader)
      this.logger.log(
        this.leader ? 'this replica is now the leader' : 'this replica is no longer the leader',
      );
  }

  private leavesLockToFormerLeader(): boolean {
    const o = this.outage;
    if (!o || o.ledBefore) return false;
    if (Date.now() - (o.backAt ?? Date.now()) < HANDBACK_MS) return true;
    this.outage = undefined;
    return false;
  }
}
