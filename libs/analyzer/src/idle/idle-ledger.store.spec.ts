import { loadConfig } from '@kcloud/common';
import { SharedState } from '@kcloud/realtime';
import { IdleLedgerStore } from './idle-ledger.store';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

/** A store over a memory SharedState whose bucket reads are counted. */
function setup() {
  const shared = new SharedState(loadConfig({}));
  const read = jest.spyOn(shared, 'read');
  return { store: new IdleLedgerStore(shared), reads: () => read.mock.calls.length };
}

const part = (startMs: number) => ({ startMs, fromMs: startMs, untilMs: startMs + 60_000, rows: [] });

describe('IdleLedgerStore.buckets', () => {
  it('reads each bucket once for concurrent ranges over it (the aliases of one query), not once per range', async () => {
    const { store, reads } = setup();
    await store.addPart(part(T0));
    const before = reads();
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => store.buckets(T0 - 999 * HOUR - i, T0 + HOUR - i, HOUR)),
    );
    // 1,001 distinct buckets (the ranges shifted by i ms start one bucket earlier), each read once.
    expect(reads() - before).toBe(1001);
    for (const a of answers) expect(a.map((b) => b.startMs)).toEqual([T0]);
  });

  it('does not read again a final bucket found absent, and does read again one that may still be written', async () => {
    const { store, reads } = setup();
    const finalBefore = T0 - 10 * HOUR;
    await store.buckets(T0 - 20 * HOUR, T0, HOUR, finalBefore);
    const first = reads();
    expect(first).toBe(20);
    await store.buckets(T0 - 20 * HOUR, T0, HOUR, finalBefore);
    // The 10 buckets ending at or before finalBefore are known absent; the 10 after it are read again.
    expect(reads() - first).toBe(10);
    // A bucket written after it was read absent, but not final, is found.
    await store.addPart(part(T0 - 2 * HOUR));
    expect((await store.buckets(T0 - 20 * HOUR, T0, HOUR, finalBefore)).map((b) => b.startMs)).toEqual([
      T0 - 2 * HOUR,
    ]);
  });
});
