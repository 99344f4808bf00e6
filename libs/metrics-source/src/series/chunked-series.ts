import type { PartialResult } from '@kcloud/common';
import type { SeriesRange } from '../ports/gpu-series.port';

/** Rows per batch when the caller does not say. */
export const DEFAULT_ROWS_PER_BATCH = 5_000;
/** Prometheus refuses more points per series in one range query (MAX_POINTS_PER_SERIES is 11,000). */
const MAX_POINTS_PER_CHUNK = 10_000;

/** Step timestamps in the range: from, from + step, … ≤ to. */
export function pointCount(range: Pick<SeriesRange, 'from' | 'to' | 'stepSeconds'>): number {
  const span = range.to.getTime() - range.from.getTime();
  if (span < 0) return 0;
  return Math.floor(span / (range.stepSeconds * 1000)) + 1;
}

/**
 * How many step points the next chunk reads. With a known density (rows per point) the chunk fills one batch;
 * before any row was seen it starts at one point and grows ×4, so an empty stretch of a long range costs few
 * requests and a 10,000-GPU fleet never pulls a huge first chunk.
 */
export function nextChunkPoints(
  remaining: number,
  rowsPerPoint: number,
  maxRows: number,
  previous: number,
): number {
  const wanted = rowsPerPoint > 0 ? Math.floor(maxRows / rowsPerPoint) : previous === 0 ? 1 : previous * 4;
  return Math.max(1, Math.min(remaining, MAX_POINTS_PER_CHUNK, wanted));
}

/** Splits rows sorted by timestamp into batches of whole timestamps, each at most `maxRows` unless one instant is larger. */
export function splitByTimestamp<T extends { readonly timestamp: Date }>(rows: readonly T[], maxRows: number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let i = 0;
  while (i < rows.length) {
    const ts = rows[i].timestamp.getTime();
    let j = i;
    while (j < rows.length && rows[j].timestamp.getTime() === ts) j++;
    if (current.length > 0 && current.length + (j - i) > maxRows) {
      batches.push(current);
      current = [];
    }
    for (let k = i; k < j; k++) current.push(rows[k]);
    i = j;
  }
  if (current.length) batches.push(current);
  return batches;
}

/**
 * Reads a range chunk by chunk through `read(from, to)` (inclusive, on the step grid) and yields batches of whole
 * timestamps. Memory holds one chunk. A chunk's cluster failures ride on its first batch (or an empty one).
 */
export async function* chunkedSeries<T extends { readonly timestamp: Date }>(
  range: SeriesRange,
  read: (from: Date, to: Date) => Promise<PartialResult<T>>,
): AsyncGenerator<PartialResult<T>> {
  const stepMs = range.stepSeconds * 1000;
  const total = pointCount(range);
  const maxRows = range.maxRowsPerBatch ?? DEFAULT_ROWS_PER_BATCH;
  let done = 0;
  let chunk = 0;
  let rowsPerPoint = 0;
  while (done < total) {
    range.signal?.throwIfAborted();
    chunk = nextChunkPoints(total - done, rowsPerPoint, maxRows, chunk);
    const from = new Date(range.from.getTime() + done * stepMs);
    const to = new Date(from.getTime() + (chunk - 1) * stepMs);
    const { items, failures } = await read(from, to);
    rowsPerPoint = Math.max(rowsPerPoint, items.length / chunk);
    done += chunk;
    const sorted = [...items].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
    const batches = splitByTimestamp(sorted, maxRows);
    if (batches.length === 0 && failures.length) yield { items: [], failures };
    for (const [i, batch] of batches.entries()) yield { items: batch, failures: i === 0 ? failures : [] };
  }
}
