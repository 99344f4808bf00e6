import type { PowerRangeWindow } from '@kcloud/metrics-source';
import { requestStep } from '../request/step';
import type { Column, Row } from '../table';
import type { DatasetContext, TablePlan } from './dataset';

/**
 * A time-series table: the step of the request (or one chosen so that `seriesNow` series stay within the row cap)
 * and the rows for that step. Today's count (nodes, pods, GPUs, clusters) stands in for the range's: the cap is a
 * guard, the row counter enforces it exactly.
 */
export function stepTablePlan(
  { request, limits }: DatasetContext,
  table: { readonly title: string; readonly columns: readonly Column[] },
  seriesNow: number,
  rows: (window: PowerRangeWindow, signal: AbortSignal) => AsyncIterable<readonly Row[]>,
): TablePlan {
  const { stepSeconds, estimatedRows } = requestStep(request, seriesNow, limits.maxRows);
  return {
    kind: 'table',
    title: table.title,
    columns: table.columns,
    estimatedRows,
    stepSeconds,
    rows: (signal) => rows({ from: request.from, to: request.to, stepSeconds }, signal),
  };
}

/**
 * A table read in one range request (per cluster) and sent in batches: node power, pod power, IPMI input, unified
 * power. `read` is not called when the filter matches nothing.
 */
export function rangeTablePlan(
  context: DatasetContext,
  table: { readonly title: string; readonly columns: readonly Column[] },
  seriesNow: number,
  matchesNothing: boolean,
  read: (window: PowerRangeWindow) => Promise<readonly Row[]>,
): TablePlan {
  return stepTablePlan(context, table, seriesNow, async function* (window) {
    if (matchesNothing) return;
    yield* batches(await read(window), context.limits.batchRows);
  });
}

/** Items already in memory, `size` at a time. */
export function* batches<T>(items: readonly T[], size: number): Generator<readonly T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** A table of items known before the download starts: the gpus and scores datasets. */
export function inMemoryTablePlan<T>(
  table: { readonly title: string; readonly columns: readonly Column[] },
  items: readonly T[],
  toRow: (item: T) => Row,
  batchRows: number,
): TablePlan {
  return {
    kind: 'table',
    title: table.title,
    columns: table.columns,
    estimatedRows: items.length,
    rows: async function* (this: void) {
      // Rows are built per batch, only when that batch is sent.
      for (const batch of batches(items, batchRows)) yield batch.map(toRow);
    },
  };
}
