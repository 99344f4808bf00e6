import { loadConfig } from '@kcloud/common';
import { SharedState } from '@kcloud/realtime';
import { IdleLedgerStore } from './idle-ledger.store';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

/** A store over a memory SharedState whose bucket reads are counted. */
function setup() {
  const shared = new SharedState(loadConfig({}));
  const read = jest.spyOn(shared, 'read');
  const bucketReads = () => read.mock.calls.filter(([name]) => name.startsWith('idle-ledger-bucket.')).length;
  return { store: new IdleLedgerStore(shared), reads: bucketReads };
}

const part = (startMs: number) => ({ startMs, fromMs: startMs, untilMs: startMs + 60_000, rows: [] });

describe('IdleLedgerStore.buckets', () => {
  it('reads each bucket once for concurrent ranges over it (the aliases of one query), not once per range', async () => {
    const { store, reads } = setup();
    await store.addPart(part(T0 - 1000 * HOUR));
    await store.addPart(part(T0));
    const before = reads();
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => store.buckets(T0 - 999 * HOUR - i, T0 + HOUR - i, HOUR)),
    );
    // 1,001 distinct buckets (the ranges shifted by i ms start one bucket earlier), each read once.
    expect(reads() - before).toBe(1001);
    for (const [i, a] of answers.entries())
      expect(a.map((b) => b.startMs)).toEqual(i === 0 ? [T0] : [T0 - 1000 * HOUR, T0]);
  });

  it('does not read again a final bucket found absent, and does read again one that may still be written', async () => {
    const { store, reads } = setup();
    await store.addPart(part(T0 - 30 * HOUR));
    const finalBefore = T0 - 10 * HOUR;
    const start = reads();
    await store.buckets(T0 - 20 * HOUR, T0, HOUR, finalBefore);
    const first = reads() - start;
    expect(first).toBe(20);
    await store.buckets(T0 - 20 * HOUR, T0, HOUR, finalBefore);
    // The 10 buckets ending at or before finalBefore are known absent; the 10 after it are read again.
    expect(reads() - start - first).toBe(10);
    // A bucket written after it was read absent, but not final, is found.
    await store.addPart(part(T0 - 2 * HOUR));
    expect((await store.buckets(T0 - 20 * HOUR, T0, HOUR, finalBefore)).map((b) => b.startMs)).toEqual([
      T0 - 2 * HOUR,
    ]);
  });

  it('reads no bucket before the ledger began: none at all before its first part, then only from that part on', async () => {
    const { store, reads } = setup();
    // 9,999 h back: one origin read, not ~10,000 bucket reads (a viewer's 100 aliases of this stalled the process).
    expect(await store.buckets(T0 - 9_999 * HOUR, T0 + HOUR, HOUR)).toEqual([]);
    expect(reads()).toBe(0);
    await store.addPart(part(T0 - 5 * HOUR));
    await store.addPart(part(T0 - 8 * HOUR)); // a lagging replica's earlier part moves the origin back
    const before = reads();
    const found = await store.buckets(T0 - 9_999 * HOUR, T0 + HOUR, HOUR);
    expect(found.map((b) => b.startMs)).toEqual([T0 - 8 * HOUR, T0 - 5 * HOUR]);
    expect(reads() - before).toBe(9);
  });
});

describe('IdleLedgerStore head and current bucket', () => {
  const head = (n: number) => ({ accountedUntilMs: T0 + n, energy: {}, episodes: {} });
  const rowPart = (startMs: number, fromMs: number, untilMs: number, idleGpuSeconds: number) => ({
    startMs,
    fromMs,
    untilMs,
    rows: [
      {
        cluster: 'c',
        namespace: 'n',
        pod: 'p',
        node: 'x',
        model: 'm',
        allocatedGpuSeconds: idleGpuSeconds,
        idleGpuSeconds,
        idleEnergyJoules: 0,
      },
    ],
  });

  it('reads the head and the bucket again only when another replica moved their version', async () => {
    const shared = new SharedState(loadConfig({}));
    const read = jest.spyOn(shared, 'read');
    const reads = (prefix: string) => read.mock.calls.filter(([name]) => name.startsWith(prefix)).length;
    const [mine, other] = [new IdleLedgerStore(shared), new IdleLedgerStore(shared)];
    expect(await mine.commitHead(0, head(1))).toBe(true);
    await mine.addPart(rowPart(T0, T0, T0 + 60_000, 60));
    const [headReads, bucketReads] = [reads('idle-ledger-head'), reads('idle-ledger-bucket.')];
    // Cycles of this replica: what it wrote is what it works on, without reading it back.
    for (let i = 1; i <= 3; i++) {
      const { version, head: h } = await mine.head();
      expect(h.accountedUntilMs).toBe(T0 + i);
      expect(await mine.commitHead(version, head(i + 1))).toBe(true);
      await mine.addPart(rowPart(T0, T0, T0 + 60_000 * (i + 1), 60));
    }
    expect(reads('idle-ledger-head')).toBe(headReads);
    expect(reads('idle-ledger-bucket.')).toBe(bucketReads);
    // Another replica extends both: the next cycle here reads them, and works on theirs.
    const theirs = await other.head();
    expect(await other.commitHead(theirs.version, head(100))).toBe(true);
    await other.addPart(rowPart(T0, T0, T0 + 60_000 * 10, 60));
    expect((await mine.head()).head.accountedUntilMs).toBe(T0 + 100);
    await mine.addPart(rowPart(T0, T0, T0 + 60_000 * 11, 60));
    expect(reads('idle-ledger-head')).toBe(headReads + 2);
    expect(reads('idle-ledger-bucket.')).toBe(bucketReads + 2);
    const [bucket] = await other.buckets(T0, T0 + 3_600_000, 3_600_000);
    expect(bucket).toMatchObject({ untilMs: T0 + 60_000 * 11 });
    expect(bucket!.rows[0]!.idleGpuSeconds).toBeGreaterThan(60);
  });
});
