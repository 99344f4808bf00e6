import { DomainError, ErrorCode, KeyQuota, type Principal, UNRESTRICTED } from '@kcloud/common';
import { ManualStreamScheduler } from '@kcloud/realtime';
import { PowerGroupBy } from '../models/power-group-by.enum';
import type { PowerService } from '../power.service';
import { PowerStreamHub } from './power-stream.hub';

/** powerUpdated's ticks are charged to the subscriber's key as gpuMetricsUpdated's are (one unit a snapshot). */
describe('PowerStreamHub charges each snapshot to the subscriber’s key', () => {
  it('ends a subscription over budget with RATE_LIMITED, and its stream with it', async () => {
    let reads = 0;
    const power = {
      assertKnownCluster: () => undefined,
      power: async () => {
        reads++;
        // What a CLUSTER snapshot reads of the breakdown.
        return { breakdown: { totalWatts: 1, byCluster: [] }, observedAt: new Date(0), failures: [] };
      },
    } as unknown as PowerService;
    const quota = new KeyQuota();
    const charges: string[] = [];
    let budget = 1;
    quota.installCharge(async (principal, units) => {
      charges.push(`${principal.name}:${units}`);
      return budget-- > 0;
    });
    const scheduler = new ManualStreamScheduler();
    const hub = new PowerStreamHub(power, scheduler, quota);
    const who: Principal = { name: 'k', role: 'partner', scope: UNRESTRICTED };
    const it = hub.iterate({ groupBy: PowerGroupBy.CLUSTER, intervalSeconds: 1 }, UNRESTRICTED, who);
    expect((await it.next()).value).not.toBeInstanceOf(DomainError);
    scheduler.tickAll();
    const refused = await it.next();
    expect((refused.value as DomainError).code).toBe(ErrorCode.RATE_LIMITED);
    expect((await it.next()).done).toBe(true);
    expect(charges).toEqual(['k:1', 'k:1']);
    expect([hub.activeStreams, scheduler.timers.size, reads]).toEqual([0, 0, 2]);
  });
});
