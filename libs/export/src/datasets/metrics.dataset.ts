import { Inject, Injectable } from '@nestjs/common';
import { GPU_SERIES_SOURCE, type GpuSeriesSource } from '@kcloud/metrics-source';
import { ExportDatasetName } from './export-dataset.enum';
import type { DatasetContext, ExportDataset, TablePlan } from './dataset';
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

  plan(context: DatasetContext): Promise<TablePlan> {
    return this.current.seriesPlan(
      context,
      { title: 'GPU metrics', columns: GPU_SERIES_COLUMNS, toRow: gpuSeriesRow },
      (gpus) => gpus.length,
      (filter, range) => this.source.gpuMetricSeries(filter, range),
    );
  }
}
