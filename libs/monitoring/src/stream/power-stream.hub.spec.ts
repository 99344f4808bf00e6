import { DomainError, ErrorCode, UNRESTRICTED } from '@kcloud/common';
import { ManualStreamScheduler as ManualScheduler } from '@kcloud/realtime';
import type { PowerService } from '../power.service';
import { PowerGroupBy } from '../models/power-group-by.enum';
import { PowerStreamHub } from './power-stream.hub';

const flush = () => new Promise((r) => setImmediate(r));

function hubWith(): {
  hub: PowerStreamHub;
  scheduler: ManualScheduler;
  calls: () => number;
  queries: unknown[];
} {
  let calls = 0;
  const queries: unknown[] = [];
  const power = {
    assertKnownCluster: (c: string | undefined) => {
      if (c === 'nowhere') throw new DomainError(ErrorCode.NOT_FOUND, 'no');
    },
    power: async (query: unknown) => {
      calls++;
      queries.push(query);
      return {
        breakdown: {
          totalWatts: 1000 + calls,
          byCluster: [{ key: 'east', watts: 1000 + calls }],
          byNode: [],
          byNamespace: [],
          byResourceType: [],
          nodeCount: 1,
          namespacesOnly: false,
        },
        observedAt: new Date(0),
        failures: [],
      };
    },
  } as unknown as PowerService;
  const scheduler = new ManualScheduler();
  return { hub: new PowerStreamHub(power, scheduler), scheduler, calls: () => calls, queries };
}

describe('PowerStreamHub', () => {
  const args = { cluster: 'east', groupBy: PowerGroupBy.CLUSTER, intervalSeconds: 1 };

  it('reads the clusters the labels selected, and keeps streams of different label selections apart', async () => {
    const { hub, scheduler, queries } = hubWith();
    const base = { groupBy: PowerGroupBy.CLUSTER, intervalSeconds: 1 };
    const offs = [
      hub.subscribe({ ...base, labelledClusters: ['east'] }, UNRESTRICTED, () => undefined),
      hub.subscribe({ ...base, labelledClusters: [] }, UNRESTRICTED, () => undefined),
      hub.subscribe(base, UNRESTRICTED, () => undefined),
    ];
    await flush();
    expect(scheduler.timers.size).toBe(3);
    expect(queries).toEqual(
      expect.arrayContaining([
        { cluster: undefined, labelledClusters: ['east'] },
        { cluster: undefined, labelledClusters: [] },
        { cluster: undefined, labelledClusters: undefined },
      ]),
    );
    offs.forEach((off) => off());
  });

  it('serves 200 subscribers with the same arguments from one timer: one computation per interval', async () => {
    const { hub, scheduler, calls } = hubWith();
    const received: number[][] = Array.from({ length: 200 }, () => []);
    const unsubscribe = received.map((list) =>
      hub.subscribe(args, UNRESTRICTED, (s) => list.push(s.sequence)),
    );
    await flush();
    expect(scheduler.timers.size).toBe(1);
    expect([...scheduler.timers.values()][0]!.intervalMs).toBe(1000);
    for (let i = 0; i < 3; i++) {
      scheduler.tickAll();
      await flush();
    }
    // The first snapshot at subscription, then one per tick, each shared by all 200.
    expect(calls()).toBe(4);
    expect(hub.computations).toBe(4);
    for (const list of received) expect(list).toEqual([1, 2, 3, 4]);
    unsubscribe.slice(0, 199).forEach((off) => off());
    expect(scheduler.timers.size).toBe(1);
    unsubscribe[199]!();
    expect(scheduler.timers.size).toBe(0);
    expect(hub.activeStreams).toBe(0);
  });

  it('keeps one timer per distinct (cluster, groupBy, interval), and gives a late joiner the latest snapshot', async () => {
    const { hub, scheduler } = hubWith();
    const offA = hub.subscribe(args, UNRESTRICTED, () => undefined);
    const offB = hub.subscribe({ ...args, groupBy: PowerGroupBy.NODE }, UNRESTRICTED, () => undefined);
    const offC = hub.subscribe({ ...args, intervalSeconds: 5 }, UNRESTRICTED, () => undefined);
    expect(scheduler.timers.size).toBe(3);
    await flush();
    const late: number[] = [];
    const offLate = hub.subscribe(args, UNRESTRICTED, (s) => late.push(s.sequence));
    expect(late).toEqual([1]);
    [offA, offB, offC, offLate].forEach((off) => off());
    expect(scheduler.timers.size).toBe(0);
  });

  it('skips a tick while the previous snapshot is still being computed', async () => {
    const { hub, scheduler, calls } = hubWith();
    const off = hub.subscribe(args, UNRESTRICTED, () => undefined);
    scheduler.tickAll();
    scheduler.tickAll();
    await flush();
    expect(calls()).toBe(1);
    off();
  });

  it('iterates as an async iterator whose return() unsubscribes', async () => {
    const { hub, scheduler } = hubWith();
    const iterator = hub.iterate(args, UNRESTRICTED);
    const first = await iterator.next();
    expect(first.value!.totalWatts).toBe(1001);
    scheduler.tickAll();
    expect((await iterator.next()).value!.sequence).toBe(2);
    await iterator.return!();
    expect(scheduler.timers.size).toBe(0);
    expect((await iterator.next()).done).toBe(true);
  });

  it.each([0, 301, 1.5])('rejects intervalSeconds=%p with BAD_USER_INPUT', (intervalSeconds) => {
    const { hub } = hubWith();
    expect(() => hub.subscribe({ ...args, intervalSeconds }, UNRESTRICTED, () => undefined)).toThrow(
      /intervalSeconds/,
    );
  });

  it('rejects an unknown cluster before starting a timer', () => {
    const { hub, scheduler } = hubWith();
    expect(() => hub.subscribe({ ...args, cluster: 'nowhere' }, UNRESTRICTED, () => undefined)).toThrow(
      DomainError,
    );
    expect(scheduler.timers.size).toBe(0);
  });
});
