import { Module } from '@nestjs/common';
import { AcceleratorsModule } from '@kcloud/accelerators';
import { AnalyzerModule } from '@kcloud/analyzer';
import { Clock } from '@kcloud/common';
import { ClusterLabelResolution, MetricsSourceModule } from '@kcloud/metrics-source';
import { MonitoringModule } from '@kcloud/monitoring';
import { AnalyzerScoreRows } from './datasets/analyzer-score-rows';
import { CurrentGpus } from './datasets/current-gpus';
import { EXPORT_DATASETS_TOKEN, type ExportDataset } from './datasets/dataset';
import { GpusDataset } from './datasets/gpus.dataset';
import { MetricsDataset } from './datasets/metrics.dataset';
import { NodePowerDataset } from './datasets/node-power.dataset';
import { PowerDataset } from './datasets/power.dataset';
import { ReportDataset } from './datasets/report.dataset';
import { SCORE_ROWS_PROVIDER } from './datasets/score-rows.provider';
import { UnifiedPowerReader } from './datasets/unified-power.reader';
import { ScoresDataset } from './datasets/scores.dataset';
import { ExportController } from './export.controller';
import { ExportUrlResolver } from './export-url.resolver';
import { ExportService } from './export.service';

const DATASETS = [GpusDataset, MetricsDataset, PowerDataset, NodePowerDataset, ScoresDataset, ReportDataset];

/**
 * Downloads (REST) and `exportUrl` (GraphQL); scores come from the analyzer's public service, unified power, PUE and
 * energy from the monitoring library's rules and PowerHistoryService.
 */
@Module({
  imports: [MetricsSourceModule, MonitoringModule, AcceleratorsModule, AnalyzerModule],
  controllers: [ExportController],
  providers: [
    Clock,
    ClusterLabelResolution,
    CurrentGpus,
    UnifiedPowerReader,
    { provide: SCORE_ROWS_PROVIDER, useClass: AnalyzerScoreRows },
    ...DATASETS,
    {
      provide: EXPORT_DATASETS_TOKEN,
      inject: DATASETS,
      useFactory: (...datasets: ExportDataset[]): ExportDataset[] => datasets,
    },
    ExportService,
    ExportUrlResolver,
  ],
  exports: [ExportService],
})
export class ExportModule {}
