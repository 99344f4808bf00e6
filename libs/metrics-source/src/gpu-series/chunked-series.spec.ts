import { ErrorCode, type PartialResult } from '@kcloud/common';
import {
  chunkedSeries,
  MAX_SAMPLES_PER_CHUNK,
  nextChunkPoints,
  pointCount,
  splitByTimestamp,
} from './chunked-series';

const T0 = Date.UTC(2025, 0, 1);
const at = (s: number): Date => new Date(T0 + s * 1000);

describe('pointCount', () => {
  it.each([
    [0, 60, 1],
    [59, 60, 1],
    [60, 60, 2],
    [3600, 60, 61],
    [-1, 60, 0],
  ])('%d s at step %d s → %d points', (span, step, points) => {
    expect(pointCount({ from: at(0), to: at(span), stepSeconds: step })).toBe(points);
  });
});

describe('nextChunkPoints', () => {
  it.each([
    ['starts with one point when nothing is known', 100, 0, 5000, 0, 1],
    ['grows ×4 while chunks come back empty', 100, 0, 5000, 4, 16],
    ['fills one batch once the density is known', 1000, 26, 5000, 1, 192],
    ['never more than what remains', 7, 1, 5000, 1, 7],
    ['at least one point even for a huge fleet', 100, 20_000, 5000, 1, 1],
    ['at most 10,000 points per range query', 50_000, 0.1, 5000, 1, 10_000],
    ['raw series bound the chunk when every row is filtered out', 50_000, 0, 5000, 4096, 25, 10_000],
    ['raw series bound the chunk when few rows survive', 50_000, 0.01, 5000, 1, 50, 5_000],
    ['a huge fleet still reads one point at a time', 50_000, 0, 5000, 64, 1, 400_000],
  ])('%s', (_what, remaining, density, maxRows, previous, expected, rawSeries = 0) => {
    expect(nextChunkPoints(remaining, density, maxRows, previous, rawSeries)).toBe(expected);
  });
});

describe('splitByTimestamp', () => {
  const rows = [0, 0, 0, 60, 60, 120, 180, 180, 180, 180].map((s, i) => ({ timestamp: at(s), i }));

  it('keeps every timestamp whole, even when one instant exceeds the batch size', () => {
    const batches = splitByTimestamp(rows, 3);
    expect(batches.map((b) => b.map((r) => r.i))).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8, 9],
    ]);
    expect(splitByTimestamp(rows, 100)).toHaveLength(1);
    expect(splitByTimestamp([], 10)).toEqual([]);
  });
});

describe('chunkedSeries', () => {
  /** A fake source: `perPoint` rows at every step timestamp asked for. */
  function source(perPoint: number, failAt?: number) {
    const calls: [number, number][] = [];
    const read = async (from: Date, to: Date): Promise<PartialResult<{ timestamp: Date }>> => {
      calls.push([(from.getTime() - T0) / 1000, (to.getTime() - T0) / 1000]);
      const items: { timestamp: Date }[] = [];
      for (let t = from.getTime(); t <= to.getTime(); t += 60_000)
        for (let k = 0; k < perPoint; k++) items.push({ timestamp: new Date(t) });
      const failures =
        failAt !== undefined && calls.length === failAt
          ? [{ cluster: 'west', code: ErrorCode.CLUSTER_UNAVAILABLE as const, message: 'down' }]
          : [];
      return { items: items.reverse(), failures };
    };
    return { calls, read };
  }

  it('reads every step exactly once, in chunks on the step grid, batches in time order', async () => {
    const { calls, read } = source(7);
    const range = { from: at(0), to: at(3600 * 24), stepSeconds: 60, maxRowsPerBatch: 500 };
    const seen: number[] = [];
    for await (const { items } of chunkedSeries(range, read)) {
      expect(items.length).toBeLessThanOrEqual(500);
      for (const { timestamp } of items) seen.push(timestamp.getTime());
    }
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(1441);
    expect(seen).toHaveLength(1441 * 7);
    // Contiguous chunks on the grid: one point first, then 71 points (500 rows / 7 per point).
    expect(calls[0]).toEqual([0, 0]);
    expect(calls[1]).toEqual([60, 60 * 71]);
    calls.slice(1).forEach(([start], i) => expect(start).toBe(calls[i]![1] + 60));
    expect(calls.at(-1)?.[1]).toBe(86_400);
  });

  it('reports a chunk failure with its first batch, also when the chunk has no rows', async () => {
    const { read } = source(0, 2);
    const batches = [];
    for await (const b of chunkedSeries({ from: at(0), to: at(600), stepSeconds: 60 }, read)) batches.push(b);
    expect(batches).toEqual([{ items: [], failures: [expect.objectContaining({ cluster: 'west' })] }]);
  });

  it('sizes chunks by the raw series Prometheus sends, estimated before the first chunk, not by the rows kept', async () => {
    // 10,000 raw series per step, none of which survives the filters; the range starts with an empty day.
    const calls: number[] = [];
    const read = async (from: Date, to: Date) => {
      const points = (to.getTime() - from.getTime()) / 60_000 + 1;
      calls.push(points);
      return { items: [], failures: [], series: from.getTime() < T0 + 86_400_000 ? 0 : 10_000 };
    };
    const range = { from: at(0), to: at(7 * 86_400), stepSeconds: 60 };
    for await (const _ of chunkedSeries(range, read, async () => 10_000)) void _;
    expect(Math.max(...calls) * 10_000).toBeLessThanOrEqual(MAX_SAMPLES_PER_CHUNK);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(7 * 1440 + 1);
  });

  it('stops between chunks once the signal is aborted', async () => {
    const { calls, read } = source(1);
    const abort = new AbortController();
    const run = async () => {
      for await (const _ of chunkedSeries(
        { from: at(0), to: at(6000), stepSeconds: 60, signal: abort.signal },
        read,
      ))
        abort.abort(new Error('client went away'));
    };
    await expect(run()).rejects.toThrow('client went away');
    expect(calls).toHaveLength(1);
  });
});
