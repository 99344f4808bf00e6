import { Injectable } from '@nestjs/common';
import { ExportDatasetName } from './export-dataset.enum';
import type { DatasetContext, ExportDataset, TablePlan } from './dataset';
import { scopedFilter } from './dataset-support';
import { CurrentGpus } from './current-gpus';
import { GPU_SNAPSHOT_COLUMNS, gpuSnapshotRow } from './gpu-rows';
import { inMemoryTablePlan } from './range-table-plan';

/** `gpus`: current values of every GPU and MIG instance (from/to only name the file). */
@Injectable()
export class GpusDataset implements ExportDataset {
  readonly name = ExportDatasetName.GPUS;

  constructor(private readonly current: CurrentGpus) {}

  async plan({ request, scope, limits }: DatasetContext): Promise<TablePlan> {
    const gpus = await this.current.list(scopedFilter(request, scope), scope);
    return inMemoryTablePlan(
      { title: 'GPUs', columns: GPU_SNAPSHOT_COLUMNS },
      gpus,
      gpuSnapshotRow,
      limits.batchRows,
    );
  }
}
