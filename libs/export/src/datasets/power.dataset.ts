import { Inject, Injectable } from '@nestjs/common';
import { GPU_SERIES_SOURCE, type GpuPowerPoint, type GpuSeriesSource } from '@kcloud/metrics-source';
import { chooseStep } from '../request/step';
import { col, type Column, type Row } from '../table';
import { ExportDatasetName } from './export-dataset.enum';
import type { DatasetContext, ExportDataset, TablePlan } from './dataset';
import { scopedFilter, seriesRows } from './dataset-support';
import { CurrentGpus } from './current-gpus';

const POWER_COLUMNS: readonly Column[] = [
  col('timestamp', 'timestamp'),
  col('cluster', 'string'),
  col('node', 'string'),
  col('namespace', 'string'),
  col('gpu_count', 'int'),
  col('power_watts', 'float'),
];

const powerRow = (p: GpuPowerPoint): Row => [p.timestamp, p.cluster, p.node, p.namespace ?? null, p.gpuCount, p.powerWatts];

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

  async plan({ request, scope, limits }: DatasetContext): Promise<TablePlan> {
    const filter = scopedFilter(request, scope);
    const groups = new Set((await this.current.list(filter, scope)).map((g) => `${g.cluster}|${g.node}|${g.namespace ?? ''}`));
    const rangeSeconds = (request.to.getTime() - request.from.getTime()) / 1000;
    const { stepSeconds, estimatedRows } = chooseStep(rangeSeconds, groups.size, limits.maxRows, request.stepSeconds);
    return {
      kind: 'table',
      title: 'GPU power',
      columns: POWER_COLUMNS,
      estimatedRows,
      stepSeconds,
      rows: (signal) =>
        seriesRows(
          this.source.gpuPowerSeries(filter, {
            from: request.from,
            to: request.to,
            stepSeconds,
            maxRowsPerBatch: limits.batchRows,
            signal,
          }),
          filter,
          scope,
          powerRow,
        ),
    };
  }
}
