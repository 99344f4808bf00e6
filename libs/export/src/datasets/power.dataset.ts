import { Inject, Injectable } from '@nestjs/common';
import { assertNodeWideAccess, narrow } from '@kcloud/common';
import {
  GPU_SERIES_SOURCE,
  type GpuPowerPoint,
  type GpuSeriesSource,
  type InfraFilter,
  POWER_SOURCE,
  type PowerSource,
  SOURCE_STATUS,
  type SourceStatus,
} from '@kcloud/metrics-source';
import { col, type Column, type Row } from '../table';
import { ExportDatasetName } from './export-dataset.enum';
import type { DatasetContext, ExportDataset, TablePlan } from './dataset';
import { failOnClusterErrors, keepRow, scopedFilter } from './dataset-support';
import { CurrentGpus } from './current-gpus';
import { IPMI_INPUT_COLUMNS, ipmiInputRows, KEPLER_NODE_COLUMNS, keplerNodeRows } from './node-power-rows';
import { nodeRangeTable } from './node-range-table';
import { POD_POWER_COLUMNS, podPowerRows } from './pod-power-rows';
import { DEFAULT_POWER_SOURCE } from './power-export-source';
import { rangeTablePlan } from './range-table-plan';
import { UNIFIED_COLUMNS, unifiedRows } from './unified-power';
import { UnifiedPowerReader } from './unified-power.reader';

const POWER_COLUMNS: readonly Column[] = [
  col('timestamp', 'timestamp'),
  col('cluster', 'string'),
  col('node', 'string'),
  col('namespace', 'string'),
  col('gpu_count', 'int'),
  col('power_watts', 'float'),
];

const powerRow = (p: GpuPowerPoint): Row => [
  p.timestamp,
  p.cluster,
  p.node,
  p.namespace ?? null,
  p.gpuCount,
  p.powerWatts,
];

/**
 * `power`, by `source`: `gpu` (default) GPU board power (DCGM_FI_DEV_POWER_USAGE) per step, summed by cluster, node
 * and tenant namespace (namespace empty for GPUs without a pod; sum rows over node/namespace for cluster totals);
 * `node` Kepler's node components; `pod` Kepler's pod power; `ipmi` the BMCs' server input; `unified` whole-node
 * power by cluster and resource type with facility power and PUE. node, ipmi and unified are node-wide.
 */
@Injectable()
export class PowerDataset implements ExportDataset {
  readonly name = ExportDatasetName.POWER;

  constructor(
    @Inject(GPU_SERIES_SOURCE) private readonly source: GpuSeriesSource,
    @Inject(POWER_SOURCE) private readonly power: PowerSource,
    @Inject(SOURCE_STATUS) private readonly status: SourceStatus,
    private readonly current: CurrentGpus,
    private readonly unified: UnifiedPowerReader,
  ) {}

  plan(context: DatasetContext): Promise<TablePlan> {
    const source = context.request.powerSource ?? DEFAULT_POWER_SOURCE;
    switch (source) {
      case 'gpu':
        return this.gpuPlan(context);
      case 'node':
        return nodeRangeTable(
          context,
          this.power,
          { what: 'Kepler node power is', title: 'Node power (Kepler)', columns: KEPLER_NODE_COLUMNS },
          keplerNodeRows,
        );
      case 'ipmi':
        return nodeRangeTable(
          context,
          this.power,
          {
            what: 'IPMI server input power is',
            title: 'Server input power (IPMI)',
            columns: IPMI_INPUT_COLUMNS,
          },
          ipmiInputRows,
        );
      case 'pod':
        return this.podPlan(context);
      case 'unified':
        return this.unifiedPlan(context);
    }
  }

  /** One series per cluster, node and namespace with GPUs now. */
  private gpuPlan(context: DatasetContext): Promise<TablePlan> {
    return this.current.seriesPlan(
      context,
      { title: 'GPU power', columns: POWER_COLUMNS, toRow: powerRow },
      (gpus) => new Set(gpus.map((g) => `${g.cluster}|${g.node}|${g.namespace ?? ''}`)).size,
      (filter, range) => this.source.gpuPowerSeries(filter, range),
    );
  }

  /** A namespace-scoped key reads its own pods: the namespaces go into the query and are checked again per row. */
  private async podPlan(context: DatasetContext): Promise<TablePlan> {
    const { scope } = context;
    const filter: InfraFilter = scopedFilter(context.request, scope);
    const none = Object.values(filter).some((v) => Array.isArray(v) && v.length === 0);
    const now = none ? { items: [], failures: [] } : await this.power.podPower(filter);
    failOnClusterErrors(now.failures);
    const title = { title: 'Pod power (Kepler)', columns: POD_POWER_COLUMNS };
    return rangeTablePlan(context, title, now.items.length, none, async (window) => {
      const series = await this.power.podPowerRange(filter, window);
      failOnClusterErrors(series.failures);
      return podPowerRows(series.items.filter((p) => keepRow(filter, scope, p.cluster, p.namespace)));
    });
  }

  private async unifiedPlan(context: DatasetContext): Promise<TablePlan> {
    assertNodeWideAccess('unified power (whole nodes, facility power, PUE) is', context.scope);
    const clusters = narrow(context.request.clusters, context.scope.clusters);
    const known = this.status.clusterNames().filter((c) => !clusters || clusters.includes(c));
    const table = { title: 'Unified power', columns: UNIFIED_COLUMNS };
    return rangeTablePlan(context, table, known.length, clusters?.length === 0, async (window) =>
      unifiedRows((await this.unified.read(clusters ? { clusters } : {}, window)).steps),
    );
  }
}
