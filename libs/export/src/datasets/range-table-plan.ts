import type { PowerRangeWindow } from '@kcloud/metrics-source';
import { requestStep } from '../request/step';
import type { Column, Row } from '../table';
import type { DatasetContext, TablePlan } from './dataset';

/**
 * A table read in one range request (per cluster) and sent in batches: node power, pod power, IPMI input, unified
 * power. `seriesNow` (today's node, pod or cluster count) stands in for the range's in the row estimate: the cap is
 * a guard, the row counter enforces it exactly. `read` is not called when the filter matches nothing.
 */
export function rangeTablePlan(
  { request, limits }: DatasetContext,
  table: { readonly title: string; readonly columns: readonly Column[] },
  seriesNow: number,
  matchesNothing: boolean,
  read: (window: PowerRangeWindow) => Promise<readonly Row[]>,
): TablePlan {
  const { stepSeconds, estimatedRows } = requestStep(request, seriesNow, limits.maxRows);
  return {
    kind: 'table',
    title: table.title,
    columns: table.columns,
    estimatedRows,
    stepSeconds,
    rows: async function* (this: void) {
      if (matchesNothing) return;
      const rows = await read({ from: request.from, to: request.to, stepSeconds });
      for (let i = 0; i < rows.length; i += limits.batchRows) yield rows.slice(i, i + limits.batchRows);
    },
  };
}
