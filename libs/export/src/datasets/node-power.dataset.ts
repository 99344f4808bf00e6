import { Inject, Injectable } from '@nestjs/common';
import { assertNodeWideAccess, narrow } from '@kcloud/common';
import { type InfraFilter, POWER_SOURCE, type PowerSource } from '@kcloud/metrics-source';
import { chooseStep } from '../request/step';
import { ExportDatasetName } from './export-dataset.enum';
import type { DatasetContext, ExportDataset, TablePlan } from './dataset';
import { failOnClusterErrors } from './dataset-support';
import { NODE_POWER_COLUMNS, nodePowerRows } from './node-power-rows';

/**
 * `node-power`: unified power per node and step — the node's whole power (IPMI DCMI server input, else Kepler's
 * platform reading, else its components) with its source, and every component (server input, platform, CPU package,
 * DRAM, GPU, NPU, other) in watts; empty where no exporter reports it. Node-wide, so a namespace-scoped key may not
 * read it (as IPMI sensors); cluster scope narrows.
 */
@Injectable()
export class NodePowerDataset implements ExportDataset {
  readonly name = ExportDatasetName.NODE_POWER;

  constructor(@Inject(POWER_SOURCE) private readonly source: PowerSource) {}

  async plan({ request, scope, limits }: DatasetContext): Promise<TablePlan> {
    assertNodeWideAccess('node power is', scope);
    const clusters = narrow(request.clusters, scope.clusters);
    const filter: InfraFilter = clusters ? { clusters } : {};
    // Today's node count stands in for the range's: the cap is a guard, and the row counter enforces it exactly.
    const now = clusters?.length === 0 ? { items: [], failures: [] } : await this.source.nodePower(filter);
    failOnClusterErrors(now.failures);
    const rangeSeconds = (request.to.getTime() - request.from.getTime()) / 1000;
    const { stepSeconds, estimatedRows } = chooseStep(
      rangeSeconds,
      now.items.length,
      limits.maxRows,
      request.stepSeconds,
    );
    const source = this.source;
    return {
      kind: 'table',
      title: 'Node power',
      columns: NODE_POWER_COLUMNS,
      estimatedRows,
      stepSeconds,
      rows: async function* (this: void) {
        if (clusters?.length === 0) return;
        const series = await source.nodePowerRange(filter, {
          from: request.from,
          to: request.to,
          stepSeconds,
        });
        failOnClusterErrors(series.failures);
        const rows = nodePowerRows(series.items);
        for (let i = 0; i < rows.length; i += limits.batchRows) yield rows.slice(i, i + limits.batchRows);
      },
    };
  }
}
