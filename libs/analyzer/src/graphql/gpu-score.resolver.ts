import { Args, Float, ID, Query, Resolver } from '@nestjs/graphql';
import {
  CurrentField,
  CurrentScope,
  pagedList,
  reportFailuresAt,
  type ResponseField,
  type TenantScope,
} from '@kcloud/common';
import { ClusterLabelResolution } from '@kcloud/metrics-source';
import { AnalyzerService } from '../analyzer.service';
import { GpuScoresArgs } from '../dto/gpu-scores.args';
import { servedGpuScore, toGpuScore, toGpuScoreStats } from '../gpu-score-view';
import { GpuScoreConnection } from '../models/gpu-score-connection.model';
import { GpuScoreStats } from '../models/gpu-score-stats.model';
import { GpuScore } from '../models/gpu-score.model';

@Resolver(() => GpuScore)
export class GpuScoreResolver {
  constructor(
    private readonly analyzer: AnalyzerService,
    private readonly labels: ClusterLabelResolution,
  ) {}

  @Query(() => GpuScoreConnection, {
    description: 'The latest analysis results, one row per GPU and pod holding it',
  })
  gpuScores(
    @Args() args: GpuScoresArgs,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): GpuScoreConnection {
    const now = this.analyzer.now();
    const filter = this.labels.resolve(args.filter ?? {});
    const rows = this.analyzer.results(filter, scope, args.orderBy);
    // A failed cluster the labels did not select is not this answer's failure.
    const failures = this.analyzer
      .failures(scope, filter.cluster ?? undefined)
      .filter((f) => !filter.labelledClusters || filter.labelledClusters.includes(f.cluster));
    return pagedList(field, { items: rows, failures }, args, (r) => servedGpuScore(r, now));
  }

  @Query(() => GpuScore, { description: 'One GPU by UUID, or one MIG instance by UUID/instanceId' })
  gpuScore(@Args('uuid', { type: () => ID }) uuid: string, @CurrentScope() scope: TenantScope): GpuScore {
    return toGpuScore(this.analyzer.result(uuid, scope), this.analyzer.now());
  }

  @Query(() => GpuScoreStats, { description: 'Fleet statistics of the latest results the caller may see' })
  gpuScoreStats(@CurrentField() field: ResponseField, @CurrentScope() scope: TenantScope): GpuScoreStats {
    reportFailuresAt(field, this.analyzer.failures(scope));
    return toGpuScoreStats(this.analyzer.stats(scope), this.analyzer.lastCompletedAt());
  }

  @Query(() => [GpuScore], {
    description: 'Scored GPUs below the threshold (default: the low threshold), lowest first',
  })
  lowUtilizationGpus(
    @Args('threshold', { type: () => Float, nullable: true }) threshold: number | undefined,
    @CurrentScope() scope: TenantScope,
  ): GpuScore[] {
    const now = this.analyzer.now();
    return this.analyzer.lowUtilization(threshold ?? undefined, scope).map((r) => toGpuScore(r, now));
  }
}
