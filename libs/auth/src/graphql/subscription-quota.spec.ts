import type Redis from 'ioredis';
import { SubscriptionQuota } from './subscription-quota';

describe('SubscriptionQuota', () => {
  it.each([
    ['without Redis: this replica decides', undefined],
    [
      'with Redis not answering: this replica decides (fails open to the per-replica cap)',
      { eval: () => Promise.reject(new Error('down')) },
    ],
  ])('%s', async (_name, redis) => {
    const quota = new SubscriptionQuota(2, redis as unknown as Redis);
    expect(await quota.check('team-a', 2)).toEqual({ ok: true });
    expect(await quota.check('team-a', 3)).toEqual({ ok: false, limit: 2, active: 3 });
  });

  it("takes the other replicas' total from the script's answer, and publishes this replica's counts on each heartbeat", async () => {
    const calls: string[][] = [];
    const redis = {
      eval: (_script: string, _n: number, ...args: string[]) => {
        calls.push(args);
        return Promise.resolve(args.length === 5 ? [0, 4] : 1);
      },
    };
    const quota = new SubscriptionQuota(2, redis as unknown as Redis);
    quota.countFrom(() => new Map([['team-a', 1]]));
    expect(await quota.check('team-a', 1)).toEqual({ ok: false, limit: 2, active: 4 });
    await quota.heartbeat();
    expect(calls[1]).toEqual(['kcloud:subscriptions:team-a', expect.any(String), '1', '15000']);
  });
});
