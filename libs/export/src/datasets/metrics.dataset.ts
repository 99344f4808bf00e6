import { Inject, Injectable } from '@nestjs/common';
import { GPU_SERIES_SOURCE, type GpuSeriesSource } from '@kcloud/metrics-source';
import { chooseStep } from '../request/step';
import { ExportDatasetName } from './export-dataset.enum';
import type { DatasetContext, ExportDataset, TablePlan } from './dataset';
import { scopedFilter, seriesRows } from './dataset-support';
import { CurrentGpus } from './current-gpus';
import { GPU_SERIES_COLUMNS, gpuSeriesRow } from './gpu-rows';

/** `metrics`: every DCGM value family per GPU/MIG instance and step, read chunk by chunk. */
@Injectable()
export class MetricsDataset implements ExportDataset {
  readonly name = ExportDatasetName.METRICS;

  constructor(
    @Inject(GPU_SERIES_SOURCE) private readonly source: GpuSeriesSource,
    private readonly current: CurrentGpus,
  ) {}

  async plan({ request, scope, limits }: DatasetContext): Promise<TablePlan> {
    const filter = scopedFilter(request, scope);
    // Today's GPU count stands in for the range's: the cap is a guard, and the row counter enforces it exactly.
    const series = (await this.current.list(filter, scope)).length;
    const rangeSeconds = (request.to.getTime() - request.from.getTime()) / 1000;
    const { stepSeconds, estimatedRows } = chooseStep(rangeSeconds, series, limits.maxRows, request.stepSeconds);
    return {
      kind: 'table',
      title: 'GPU metrics',
      columns: GPU_SERIES_COLUMNS,
      estimatedRows,
      stepSeconds,
      rows: (signal) =>
        seriesRows(
          this.source.gpuMetricSeries(filter, {
            from: request.from,
            to: request.to,
            stepSeconds,
            maxRowsPerBatch: limits.batchRows,
            signal,
          }),
          filter,
          scope,
          gpuSeriesRow,
        ),
    };
  }
}
