import { Inject, Injectable } from '@nestjs/common';
import { IdleUsageService } from '@kcloud/analyzer';
import { AppConfig, type TenantScope } from '@kcloud/common';
import { GPU_SERIES_SOURCE, type GpuSeriesSource } from '@kcloud/metrics-source';
import { PowerGroupBy, PowerHistoryService } from '@kcloud/monitoring';
import { analyzerIdleClassifier, scoringConfigOf } from '../report/idle-rule';
import { mergeGroups, type ReportEnergy } from '../report/energy-sections';
import { type ClusterNodePower, nodePowerByCluster } from '../report/node-power-section';
import { reportDocument } from '../report/report-document';
import { nodePowerSteps } from './node-power-rows';
import { ReportFold } from '../report/report-fold';
import { requestStep } from '../request/step';
import { ExportDatasetName } from './export-dataset.enum';
import type { DatasetContext, DocumentPlan, ExportDataset } from './dataset';
import { failOnClusterErrors, keepRow, scopedFilter } from './dataset-support';
import { CurrentGpus } from './current-gpus';
import { SCORE_ROWS_PROVIDER, type ScoreRowsProvider } from './score-rows.provider';
import type { UnifiedClusterStep } from './unified-power';
import { UnifiedPowerReader } from './unified-power.reader';

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
    private readonly unifiedPower: UnifiedPowerReader,
    private readonly powerHistory: PowerHistoryService,
    private readonly current: CurrentGpus,
    @Inject(SCORE_ROWS_PROVIDER) private readonly scores: ScoreRowsProvider,
    private readonly config: AppConfig,
    private readonly idle: IdleUsageService,
  ) {}

  async plan({ request, scope, limits }: DatasetContext): Promise<DocumentPlan> {
    const filter = scopedFilter(request, scope);
    const current = await this.current.list(filter, scope);
    const { stepSeconds, estimatedRows } = requestStep(request, current.length, limits.maxRows);
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
        // Node power (IPMI input, platform, components) and PUE add up every tenant on a node: not for namespace keys.
        let nodePower: ClusterNodePower[] | undefined;
        let unified: readonly UnifiedClusterStep[] | undefined;
        if (!scope.namespaces?.length && filter.clusters?.length !== 0) {
          const read = await this.unifiedPower.read(filter.clusters ? { clusters: filter.clusters } : {}, {
            from: request.from,
            to: request.to,
            stepSeconds,
          });
          nodePower = nodePowerByCluster(nodePowerSteps(read.nodes), stepSeconds);
          unified = read.steps;
        }
        const energy = await this.energy(request.from, request.to, filter, scope);
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
          unified,
          energy,
        });
      },
    };
  }

  /**
   * Energy per cluster and namespace through the service behind GraphQL `energy`, so the figures are its figures;
   * one read per requested cluster × namespace (the GraphQL filter names one of each), summed.
   */
  private async energy(
    from: Date,
    to: Date,
    filter: { readonly clusters?: readonly string[]; readonly namespaces?: readonly string[] },
    scope: TenantScope,
  ): Promise<ReportEnergy | undefined> {
    if (from.getTime() >= to.getTime()) return undefined;
    const queries = (filter.clusters ?? [undefined]).flatMap((cluster) =>
      (filter.namespaces ?? [undefined]).map((namespace) => ({ cluster, namespace })),
    );
    const read = async (groupBy: PowerGroupBy) => {
      const results = await Promise.all(
        queries.map((q) => this.powerHistory.energy({ from, to }, groupBy, q, scope)),
      );
      failOnClusterErrors(results.flatMap((r) => r.failures));
      return mergeGroups(results.map((r) => r.groups));
    };
    const [byCluster, byNamespace] = await Promise.all([
      read(PowerGroupBy.CLUSTER),
      read(PowerGroupBy.NAMESPACE),
    ]);
    return { byCluster, byNamespace };
  }
}
