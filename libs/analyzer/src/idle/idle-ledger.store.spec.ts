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
