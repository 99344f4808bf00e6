import type { PartialResult } from '@kcloud/common';
import type { SeriesRange } from './gpu-series.port';

/** Rows per batch when the caller does not say. */
export const DEFAULT_ROWS_PER_BATCH = 5_000;
/** Prometheus refuses more points per series in one range query (MAX_POINTS_PER_SERIES is 11,000). */
const MAX_POINTS_PER_CHUNK = 10_000;
/**
 * Raw samples (series × points) one chunk may bring back from Prometheus, whatever survives the filters: about
 * 6 MB of matrix JSON, far below PROMETHEUS_MAX_RESPONSE_BYTES.
 */
export const MAX_SAMPLES_PER_CHUNK = 250_000;

/** A chunk's rows, plus how many raw series Prometheus answered with for it (all clusters and queries). */
export type ChunkRead<T> = PartialResult<T> & { readonly series?: number };

/** Step timestamps in the range: from, from + step, … ≤ to. */
export function pointCount(range: Pick<SeriesRange, 'from' | 'to' | 'stepSeconds'>): number {
  const span = range.to.getTime() - range.from.getTime();
  if (span < 0) return 0;
  return Math.floor(span / (range.stepSeconds * 1000)) + 1;
}

/**
 * How many step points the next chunk reads. With a known density (rows per point) the chunk fills one batch;
 * before any row was seen it starts at one point and grows ×4, so an empty stretch of a long range costs few
 * requests. Rows are what survives the filters, so they say nothing about what Prometheus sends: the raw series
 * count (estimated before the first chunk, then the largest seen) bounds series × points by MAX_SAMPLES_PER_CHUNK.
 */
export function nextChunkPoints(
  remaining: number,
  rowsPerPoint: number,
  maxRows: number,
  previous: number,
  rawSeries = 0,
): number {
  const byRows = rowsPerPoint > 0 ? Math.floor(maxRows / rowsPerPoint) : previous === 0 ? 1 : previous * 4;
  const bySamples = rawSeries > 0 ? Math.floor(MAX_SAMPLES_PER_CHUNK / rawSeries) : Infinity;
  return Math.max(1, Math.min(remaining, MAX_POINTS_PER_CHUNK, byRows, bySamples));
}

/** Splits rows sorted by timestamp into batches of whole timestamps, each at most `maxRows` unless one instant is larger. */
export function splitByTimestamp<T extends { readonly timestamp: Date }>(
  rows: readonly T[],
  maxRows: number,
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let instant: T[] = [];
  // One instant's rows at a time, so a batch never splits a timestamp.
  const close = (): void => {
    if (current.length > 0 && current.length + instant.length > maxRows) {
      batches.push(current);
      current = [];
    }
    current.push(...instant);
    instant = [];
  };
  for (const row of rows) {
    if (instant.length && instant[0]!.timestamp.getTime() !== row.timestamp.getTime()) close();
    instant.push(row);
  }
  close();
  if (current.length) batches.push(current);
  return batches;
}

/**
 * Reads a range chunk by chunk through `read(from, to)` (inclusive, on the step grid) and yields batches of whole
 * timestamps. Memory holds one chunk. A chunk's cluster failures ride on its first batch (or an empty one).
 * `estimateSeries` (a cheap count of the raw series now) sizes chunks before any was read, so a range that starts
 * empty cannot grow its chunks to 10,000 points before meeting the whole fleet.
 */
export async function* chunkedSeries<T extends { readonly timestamp: Date }>(
  range: SeriesRange,
  read: (from: Date, to: Date) => Promise<ChunkRead<T>>,
  estimateSeries?: () => Promise<number>,
): AsyncGenerator<PartialResult<T>> {
  const stepMs = range.stepSeconds * 1000;
  const total = pointCount(range);
  const maxRows = range.maxRowsPerBatch ?? DEFAULT_ROWS_PER_BATCH;
  let done = 0;
  let chunk = 0;
  let rowsPerPoint = 0;
  let rawSeries = total > 0 && estimateSeries ? await estimateSeries() : 0;
  while (done < total) {
    range.signal?.throwIfAborted();
    chunk = nextChunkPoints(total - done, rowsPerPoint, maxRows, chunk, rawSeries);
    const from = new Date(range.from.getTime() + done * stepMs);
    const to = new Date(from.getTime() + (chunk - 1) * stepMs);
    const { items, failures, series } = await read(from, to);
    rowsPerPoint = Math.max(rowsPerPoint, items.length / chunk);
    rawSeries = Math.max(rawSeries, series ?? 0);
    done += chunk;
    const sorted = [...items].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
    const batches = splitByTimestamp(sorted, maxRows);
    if (batches.length === 0 && failures.length) yield { items: [], failures };
    for (const [i, batch] of batches.entries()) yield { items: batch, failures: i === 0 ? failures : [] };
  }
}
