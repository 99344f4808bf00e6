import { ResolveField, Resolver } from '@nestjs/graphql';
import { Gpu } from '@kcloud/accelerators';
import { type Principal, principalOfContext, UNRESTRICTED } from '@kcloud/common';
import { AnalyzerService } from '../analyzer.service';
import { servedGpuScore } from '../gpu-score-view';
import { GpuScore } from '../models/gpu-score.model';

/** `Gpu.score`: read from the in-memory results, so a page of GPUs costs no query per GPU. */
@Resolver(() => Gpu)
export class GpuScoreFieldResolver {
  constructor(private readonly analyzer: AnalyzerService) {}

  /**
   * Called once per listed GPU, so it takes graphql-js's own arguments instead of parameter decorators: a field
   * resolver without them is bound as it is by Nest (no per-call parameter extraction, pipes and promises — most of
   * this field's cost before). Field resolvers run no guards or interceptors in this API either way
   * (`fieldResolverEnhancers` unset); the scope is the caller's, read from the context as `@CurrentScope` reads it.
   */
  @ResolveField(() => GpuScore, {
    nullable: true,
    description: 'The latest analysis result; null before the first',
  })
  score(gpu: Gpu, _args: unknown, context: { principal?: Principal } | undefined): GpuScore | null {
    const scope = principalOfContext(context)?.scope ?? UNRESTRICTED;
    const row = this.analyzer.resultForGpu(gpu.id, gpu.pod, scope);
    return row ? servedGpuScore(row, this.analyzer.now()) : null;
  }
}
