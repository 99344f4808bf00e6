import type Redis from 'ioredis';
import { loadConfig } from '@kcloud/common';
import { LEADER_LOCK_KEY, LeaderLock } from './leader-lock.service';

/** The two commands the lock sends, on one key, against a Redis that can go away and come back empty. */
class FakeRedis {
  holder?: string;
  down = false;

  async eval(script: string, _keys: number, key: string, id: string): Promise<number> {
    this.check(key);
    if (this.holder !== id) return 0;
    if (script.includes("'del'")) this.holder = undefined;
    return 1;
  }

  async set(key: string, id: string): Promise<'OK' | null> {
    this.check(key);
    if (this.holder !== undefined) return null;
    this.holder = id;
    return 'OK';
  }

  disconnect(): void {}

  private check(key: string): void {
    expect(key).toBe(LEADER_LOCK_KEY);
    if (this.down) throw new Error('Connection is closed.');
  }
}

describe('LeaderLock through a Redis outage', () => {
  let now = 1_000_000;
  beforeEach(() => jest.spyOn(Date, 'now').mockImplementation(() => now));
  afterEach(() => jest.restoreAllMocks());

  const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:1' });
  const replica = (redis: FakeRedis) => {
    const lock = new LeaderLock(config, redis as unknown as Redis);
    return { lock, tick: () => (lock as unknown as { refresh(): Promise<void> }).refresh() };
  };

  it('nobody leads while Redis is down; when it comes back empty the former leader takes the lock, not the other', async () => {
    const redis = new FakeRedis();
    const [a, b] = [replica(redis), replica(redis)];
    await a.tick();
    await b.tick();
    expect([a.lock.isLeader(), b.lock.isLeader()]).toEqual([true, false]);

    redis.down = true;
    await b.tick();
    await a.tick();
    expect([a.lock.isLeader(), b.lock.isLeader()]).toEqual([false, false]);

    // Redis restarted without its data; B happens to ask first, and keeps asking during the handback period.
    redis.down = false;
    redis.holder = undefined;
    await b.tick();
    now += 1_000;
    await b.tick();
    expect(b.lock.isLeader()).toBe(false);
    await a.tick();
    expect([a.lock.isLeader(), b.lock.isLeader()]).toEqual([true, false]);
    now += 10_000;
    await b.tick();
    expect([a.lock.isLeader(), b.lock.isLeader()]).toEqual([true, false]);
  });

  it('if the former leader does not come back, another replica leads after the handback period', async () => {
    const redis = new FakeRedis();
    const [a, b] = [replica(redis), replica(redis)];
    await a.tick();
    await b.tick();
    redis.down = true;
    await b.tick();
    redis.down = false;
    redis.holder = undefined;
    await b.tick();
    expect(b.lock.isLeader()).toBe(false);
    now += 5_000;
    await b.tick();
    expect(b.lock.isLeader()).toBe(true);
    expect(a.lock.isLeader()).toBe(true); // A never ticked again: its own view, about to be corrected...
    await a.tick();
    expect(a.lock.isLeader()).toBe(false); // ...by its next renewal, which finds B's id in the key.
  });

  it('a leader whose key survived a short outage leads on at once', async () => {
    const redis = new FakeRedis();
    const [a, b] = [replica(redis), replica(redis)];
    await a.tick();
    redis.down = true;
    await a.tick();
    expect(a.lock.isLeader()).toBe(false);
    redis.down = false;
    await b.tick();
    await a.tick();
    expect([a.lock.isLeader(), b.lock.isLeader()]).toEqual([true, false]);
  });
});
