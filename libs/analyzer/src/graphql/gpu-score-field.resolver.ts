import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Gpu } from '@kcloud/accelerators';
import { CurrentScope, type TenantScope } from '@kcloud/common';
import { AnalyzerService } from '../analyzer.service';
import { toGpuScore } from '../gpu-score-view';
import { GpuScore } from '../models/gpu-score.model';

/** `Gpu.score`: read from the in-memory results, so a page of GPUs costs no query per GPU. */
@Resolver(() => Gpu)
export class GpuScoreFieldResolver {
  constructor(private readonly analyzer: AnalyzerService) {}

  @ResolveField(() => GpuScore, {
    nullable: true,
    description: 'The latest analysis result; null before the first',
  })
  score(@Parent() gpu: Gpu, @CurrentScope() scope: TenantScope): GpuScore | null {
    const row = this.analyzer.resultForGpu(gpu.id, gpu.pod, scope);
    return row ? toGpuScore(row, this.analyzer.now()) : null;
  }
}
