import { Inject, Injectable } from '@nestjs/common';
import { POWER_SOURCE, type PowerSource } from '@kcloud/metrics-source';
import { ExportDatasetName } from './export-dataset.enum';
import type { DatasetContext, ExportDataset, TablePlan } from './dataset';
import { NODE_POWER_COLUMNS, nodePowerRows } from './node-power-rows';
import { nodeRangeTable } from './node-range-table';

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

  plan(context: DatasetContext): Promise<TablePlan> {
    return nodeRangeTable(
      context,
      this.source,
      { what: 'node power is', title: 'Node power', columns: NODE_POWER_COLUMNS },
      nodePowerRows,
    );
  }
}
