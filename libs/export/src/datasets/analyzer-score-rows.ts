import { Injectable } from '@nestjs/common';
import { AnalyzerService } from '@kcloud/analyzer';
import type { TenantScope } from '@kcloud/common';
import type { ScoreRow, ScoreRowsProvider } from './score-rows.provider';

/** The analyzer's public results, mapped to the export's score rows (the analyzer enforces the scope). */
@Injectable()
export class AnalyzerScoreRows implements ScoreRowsProvider {
  constructor(private readonly analyzer: AnalyzerService) {}

  async currentScores(scope: TenantScope): Promise<{ rows: ScoreRow[]; analysedAt?: Date }> {
    const rows = this.analyzer.results({}, scope).map(
      (r): ScoreRow => ({
        gpuId: r.key,
        cluster: r.cluster,
        node: r.node,
        model: r.model,
        namespace: r.namespace,
        pod: r.pod,
        score: r.score,
        status: r.status,
        statusSince: r.statusSince,
        utilizationPercent: r.inputs.utilizationPercent,
        memoryCopyUtilizationPercent: r.inputs.memoryCopyUtilizationPercent,
        memoryUsedPercent: r.inputs.memoryUsedPercent,
        powerPercent: r.inputs.powerPercent,
        computedAt: r.computedAt,
      }),
    );
    return { rows, analysedAt: this.analyzer.lastCompletedAt() };
  }
}
