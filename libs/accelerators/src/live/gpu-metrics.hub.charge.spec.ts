import { DomainError, ErrorCode, KeyQuota, type Principal, UNRESTRICTED } from '@kcloud/common';
import { ManualStreamScheduler } from '@kcloud/realtime';
import type { DataQualityService } from '../data-quality.service';
import { GpuMetricsHub, UNITS_PER_TICK } from './gpu-metrics.hub';

const key = (name: string): Principal => ({ name, role: 'partner', scope: UNRESTRICTED });

/**
 * gpuMetricsUpdated's ticks are upstream reads done for the subscriber after it subscribed: each snapshot is charged
 * to its key, so a key's live streams read Prometheus no faster than its rate limit lets it poll `gpus` (the hostile
 * review: ~120 Prometheus requests/s per key at the subscription caps, uncharged).
 */
describe('GpuMetricsHub charges each snapshot to the subscriber’s key', () => {
  function setup(budgets: Record<string, number>) {
    let reads = 0;
    const quality = {
      gpus: async () => {
        reads++;
        return { items: [], failures: [] };
      },
    } as unknown as DataQualityService;
    const charges: string[] = [];
    const quota = new KeyQuota();
    quota.installCharge(async (principal, units) => {
      charges.push(`${principal.name}:${units}`);
      budgets[principal.name] = (budgets[principal.name] ?? 0) - units;
      return budgets[principal.name]! >= 0;
    });
    const scheduler = new ManualStreamScheduler();
    const hub = new GpuMetricsHub(quality, scheduler, quota);
    return { hub, scheduler, charges, reads: () => reads };
  }
  const args = { filter: {}, intervalSeconds: 1, first: 10 };

  it('charges every snapshot to each subscriber’s own key, once per tick', async () => {
    const t = setup({ a: 100, b: 100 });
    const [a, b] = [t.hub.iterate(args, UNRESTRICTED, key('a')), t.hub.iterate(args, UNRESTRICTED, key('b'))];
    await Promise.all([a.next(), b.next()]);
    t.scheduler.tickAll();
    await Promise.all([a.next(), b.next()]);
    expect(t.charges.sort()).toEqual([`a:${UNITS_PER_TICK}`, 'a:1', 'b:1', 'b:1']);
    expect(t.reads()).toBe(2);
    await Promise.all([a.return!(), b.return!()]);
  });

  it('ends a subscription over its key’s budget with RATE_LIMITED, and the stream with its last subscriber', async () => {
    const t = setup({ poor: 2, rich: 100 });
    const poor = t.hub.iterate(args, UNRESTRICTED, key('poor'));
    expect((await poor.next()).done).toBe(false);
    t.scheduler.tickAll();
    expect((await poor.next()).done).toBe(false);
    t.scheduler.tickAll();
    const refused = await poor.next();
    expect(refused.value).toBeInstanceOf(DomainError);
    expect((refused.value as DomainError).code).toBe(ErrorCode.RATE_LIMITED);
    expect((await poor.next()).done).toBe(true);
    // Nobody else held the stream: its timer is gone, so no more upstream reads are made for this key.
    expect([t.hub.activeStreams, t.scheduler.timers.size]).toEqual([0, 0]);
    const readsWhenEnded = t.reads();
    t.scheduler.tickAll();
    expect(t.reads()).toBe(readsWhenEnded);
  });

  it('charges nothing when authentication is not enforced (no principal)', async () => {
    const t = setup({});
    const anonymous = t.hub.iterate(args, UNRESTRICTED);
    expect((await anonymous.next()).done).toBe(false);
    expect(t.charges).toEqual([]);
    await anonymous.return!();
  });
});
