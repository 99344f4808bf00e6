import { Inject, Injectable } from '@nestjs/common';
import { col, type Column, DEVICE_ID_COLUMNS, type Row } from '../table';
import { ExportDatasetName } from './export-dataset.enum';
import type { DatasetContext, ExportDataset, TablePlan } from './dataset';
import { keepRow, scopedFilter } from './dataset-support';
import { inMemoryTablePlan } from './range-table-plan';
import { SCORE_ROWS_PROVIDER, type ScoreRow, type ScoreRowsProvider } from './score-rows.provider';

const SCORE_COLUMNS: readonly Column[] = [
  ...DEVICE_ID_COLUMNS,
  col('score', 'float'),
  col('status', 'string'),
  col('status_since', 'timestamp'),
  col('utilization_percent', 'float'),
  col('memory_copy_utilization_percent', 'float'),
  col('memory_used_percent', 'float'),
  col('power_percent', 'float'),
  col('computed_at', 'timestamp'),
];

const opt = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

const scoreRow = (s: ScoreRow): Row => [
  s.gpuId,
  s.cluster,
  s.node,
  s.model,
  opt(s.namespace),
  opt(s.pod),
  opt(s.score),
  s.status,
  s.statusSince,
  opt(s.utilizationPercent),
  opt(s.memoryCopyUtilizationPercent),
  opt(s.memoryUsedPercent),
  opt(s.powerPercent),
  s.computedAt,
];

/** `scores`: the analyzer's current results, one row per GPU/MIG instance (per pod for a time-sliced GPU). */
@Injectable()
export class ScoresDataset implements ExportDataset {
  readonly name = ExportDatasetName.SCORES;

  constructor(@Inject(SCORE_ROWS_PROVIDER) private readonly scores: ScoreRowsProvider) {}

  async plan({ request, scope, limits }: DatasetContext): Promise<TablePlan> {
    const filter = scopedFilter(request, scope);
    const { rows } = await this.scores.currentScores(scope);
    const kept = rows.filter((s) => keepRow(filter, scope, s.cluster, s.namespace));
    return inMemoryTablePlan(
      { title: 'GPU scores', columns: SCORE_COLUMNS },
      kept,
      scoreRow,
      limits.batchRows,
    );
  }
}
