import { assertNodeWideAccess, narrow } from '@kcloud/common';
import type { InfraFilter, NodePowerSeries, PowerSource } from '@kcloud/metrics-source';
import type { Column, Row } from '../table';
import type { DatasetContext, TablePlan } from './dataset';
import { failOnClusterErrors } from './dataset-support';
import { rangeTablePlan } from './range-table-plan';

/**
 * A node-wide table from the node-power range read (one request per cluster): refused to namespace-scoped keys
 * (`what` names the data in the 403), narrowed to the key's clusters, one row per node and step.
 */
export async function nodeRangeTable(
  context: DatasetContext,
  source: PowerSource,
  table: { readonly what: string; readonly title: string; readonly columns: readonly Column[] },
  toRows: (series: readonly NodePowerSeries[]) => readonly Row[],
): Promise<TablePlan> {
  assertNodeWideAccess(table.what, context.scope);
  const clusters = narrow(context.request.clusters, context.scope.clusters);
  const filter: InfraFilter = clusters ? { clusters } : {};
  const none = clusters?.length === 0;
  const now = none ? { items: [], failures: [] } : await source.nodePower(filter);
  failOnClusterErrors(now.failures);
  return rangeTablePlan(context, table, now.items.length, none, async (window) => {
    const series = await source.nodePowerRange(filter, window);
    failOnClusterErrors(series.failures);
    return toRows(series.items);
  });
}
