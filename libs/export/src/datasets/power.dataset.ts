import { Inject, Injectable } from '@nestjs/common';
import { GPU_SERIES_SOURCE, type GpuPowerPoint, type GpuSeriesSource } from '@kcloud/metrics-source';
import { col, type Column, type Row } from '../table';
import { ExportDatasetName } from './export-dataset.enum';
import type { DatasetContext, ExportDataset, TablePlan } from './dataset';
import { scopedFilter, seriesTablePlan } from './dataset-support';
import { CurrentGpus } from './current-gpus';

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
 * `power`: GPU board power (DCGM_FI_DEV_POWER_USAGE) per step, summed by cluster, node and tenant namespace
 * (namespace empty for GPUs without a pod). Sum rows over node/namespace for cluster totals.
 */
@Injectable()
export class PowerDataset implements ExportDataset {
  readonly name = ExportDatasetName.POWER;

  constructor(
    @Inject(GPU_SERIES_SOURCE) private readonly source: GpuSeriesSource,
    private readonly current: CurrentGpus,
  ) {}

  async plan(context: DatasetContext): Promise<TablePlan> {
    const filter = scopedFilter(context.request, context.scope);
    const current = await this.current.list(filter, context.scope);
    const groups = new Set(current.map((g) => `${g.cluster}|${g.node}|${g.namespace ?? ''}`));
    return seriesTablePlan(
      context,
      { title: 'GPU power', columns: POWER_COLUMNS, toRow: powerRow },
      groups.size,
      filter,
      (range) => this.source.gpuPowerSeries(filter, range),
    );
  }
}
