import { Inject, Injectable } from '@nestjs/common';
import { IdleUsageService } from '@kcloud/analyzer';
import { AppConfig } from '@kcloud/common';
import {
  GPU_SERIES_SOURCE,
  type GpuSeriesSource,
  POWER_SOURCE,
  type PowerSource,
} from '@kcloud/metrics-source';
import { analyzerIdleClassifier, scoringConfigOf } from '../report/idle-rule';
import { type ClusterNodePower, nodePowerByCluster } from '../report/node-power-section';
import { reportDocument } from '../report/report-document';
import { nodePowerSteps } from './node-power-rows';
import { ReportFold } from '../report/report-fold';
import { chooseStep } from '../request/step';
import { ExportDatasetName } from './export-dataset.enum';
import type { DatasetContext, DocumentPlan, ExportDataset } from './dataset';
import { failOnClusterErrors, keepRow, scopedFilter } from './dataset-support';
import { CurrentGpus } from './current-gpus';
import { SCORE_ROWS_PROVIDER, type ScoreRowsProvider } from './score-rows.provider';

/**
 * `report`: one pass over the metric series, folded batch by batch (memory per GPU, not per point), plus the
 * current snapshot and the analyzer's score distribution. Idle is judged by the analyzer's rule with its configured
 * thresholds, so the report and `gpuScores` agree; everything read is scoped as in every other export.
 */
@Injectable()
export class ReportDataset implements ExportDataset {
  readonly name = ExportDatasetName.REPORT;

  constructor(
    @Inject(GPU_SERIES_SOURCE) private readonly source: GpuSeriesSource,
    @Inject(POWER_SOURCE) private readonly powerSource: PowerSource,
    private readonly current: CurrentGpus,
    @Inject(SCORE_ROWS_PROVIDER) private readonly scores: ScoreRowsProvider,
    private readonly config: AppConfig,
    private readonly idle: IdleUsageService,
  ) {}

  async plan({ request, scope, limits }: DatasetContext): Promise<DocumentPlan> {
    const filter = scopedFilter(request, scope);
    const current = await this.current.list(filter, scope);
    const rangeSeconds = (request.to.getTime() - request.from.getTime()) / 1000;
    const { stepSeconds, estimatedRows } = chooseStep(
      rangeSeconds,
      current.length,
      limits.maxRows,
      request.stepSeconds,
    );
    return {
      kind: 'document',
      estimatedRows,
      stepSeconds,
      build: async (signal) => {
        const scoring = scoringConfigOf(this.config);
        const fold = new ReportFold(stepSeconds, analyzerIdleClassifier(scoring));
        const series = this.source.gpuMetricSeries(filter, {
          from: request.from,
          to: request.to,
          stepSeconds,
          maxRowsPerBatch: limits.batchRows,
          signal,
        });
        for await (const { items, failures } of series) {
          failOnClusterErrors(failures);
          fold.add(items.filter((p) => keepRow(filter, scope, p.cluster, p.namespace)));
        }
        const { rows, analysedAt } = await this.scores.currentScores(scope);
        const scores = rows.filter((s) => keepRow(filter, scope, s.cluster, s.namespace));
        // Idle GPU-hours and cost by the analyzer's activity states, from its ledger (the same answer as idleUsage).
        const idleUsage = await this.idle.usage(request.from, request.to, 'NAMESPACE', filter, scope);
        // Node power (IPMI input, platform, components) adds up every tenant on a node: not for namespace keys.
        let nodePower: ClusterNodePower[] | undefined;
        if (!scope.namespaces?.length && filter.clusters?.length !== 0) {
          const nodes = await this.powerSource.nodePowerRange(
            filter.clusters ? { clusters: filter.clusters } : {},
            {
              from: request.from,
              to: request.to,
              stepSeconds,
            },
          );
          failOnClusterErrors(nodes.failures);
          nodePower = nodePowerByCluster(nodePowerSteps(nodes.items), stepSeconds);
        }
        return reportDocument({
          from: request.from,
          to: request.to,
          stepSeconds,
          current,
          totals: fold.result(),
          scores,
          analysedAt,
          scoring,
          idleUsage,
          nodePower,
        });
      },
    };
  }
}
