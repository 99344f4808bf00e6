import type { Logger } from '@nestjs/common';
import { assertIntervalSeconds, PolledStreams } from './polled-streams';
import { ManualStreamScheduler as ManualScheduler } from './stream-scheduler';

const flush = () => new Promise((r) => setImmediate(r));
const quiet = { warn: () => undefined } as unknown as Logger;

function setup() {
  const scheduler = new ManualScheduler();
  let reads = 0;
  const streams = new PolledStreams<{ sequence: number; read: number }>(scheduler, quiet);
  const compute = async (sequence: number) => ({ sequence, read: ++reads });
  return { scheduler, streams, compute, reads: () => reads };
}

describe('PolledStreams', () => {
  it('hands one computed object per tick to every subscriber of a key', async () => {
    const { scheduler, streams, compute, reads } = setup();
    const got: object[][] = [[], [], []];
    const offs = got.map((list) => streams.subscribe('k', 1000, compute, (s) => list.push(s)));
    await flush();
    scheduler.tickAll();
    await flush();
    expect(reads()).toBe(2);
    expect(streams.computations).toBe(2);
    expect(got.map((l) => l.length)).toEqual([2, 2, 2]);
    expect(got[1]![1]).toBe(got[0]![1]);
    offs.forEach((off) => off());
    expect(scheduler.timers.size).toBe(0);
  });

  it('runs one timer per distinct key and stops it with its last subscriber', async () => {
    const { scheduler, streams, compute } = setup();
    const a = streams.subscribe('a', 1000, compute, () => undefined);
    const b = streams.subscribe('b', 5000, compute, () => undefined);
    const a2 = streams.subscribe('a', 1000, compute, () => undefined);
    expect([...scheduler.timers.values()].map((t) => t.intervalMs).sort()).toEqual([1000, 5000]);
    a();
    expect(streams.activeStreams).toBe(2);
    a2();
    b();
    expect(streams.activeStreams).toBe(0);
  });

  it('gives a late joiner the latest snapshot at once and skips a tick while a computation runs', async () => {
    const { scheduler, streams, compute, reads } = setup();
    const off = streams.subscribe('k', 1000, compute, () => undefined);
    scheduler.tickAll(); // the first computation is still running
    await flush();
    expect(reads()).toBe(1);
    const late: number[] = [];
    const offLate = streams.subscribe('k', 1000, compute, (s) => late.push(s.sequence));
    expect(late).toEqual([1]);
    off();
    offLate();
  });

  it('keeps subscribers on the previous snapshot when a computation fails, and numbers only successes', async () => {
    const scheduler = new ManualScheduler();
    const streams = new PolledStreams<number>(scheduler, quiet);
    let fail = false;
    const got: number[] = [];
    const off = streams.subscribe(
      'k',
      1000,
      async (seq) => {
        if (fail) throw new Error('upstream down');
        return seq;
      },
      (s) => got.push(s),
    );
    await flush();
    fail = true;
    scheduler.tickAll();
    await flush();
    fail = false;
    scheduler.tickAll();
    await flush();
    expect(got).toEqual([1, 2]);
    off();
  });

  it('iterates newest-first for a slow consumer, and return() leaves the stream', async () => {
    const { scheduler, streams, compute } = setup();
    const it = streams.iterate('k', 1000, compute);
    await flush();
    scheduler.tickAll();
    await flush();
    expect((await it.next()).value!.sequence).toBe(2);
    await it.return!();
    expect(scheduler.timers.size).toBe(0);
    expect((await it.next()).done).toBe(true);
  });

  it.each([0, 301, 1.5, Number.NaN])('refuses intervalSeconds=%p', (s) => {
    expect(() => assertIntervalSeconds(s, 1, 300)).toThrow(/intervalSeconds/);
  });
});
