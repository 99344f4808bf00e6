import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { GpuScore } from '../models/gpu-score.model';
import { AiAnalysis } from './ai-analysis.model';
import { AiAnalyzer } from './ai-analyzer.service';

/** `GpuScore.aiAnalysis`: read from memory; scoped as the score it hangs on (a caller only reaches scores it may see). */
@Resolver(() => GpuScore)
export class GpuScoreAiFieldResolver {
  constructor(private readonly ai: AiAnalyzer) {}

  @ResolveField(() => AiAnalysis, {
    nullable: true,
    description:
      'The optional AI second opinion on this GPU’s current state; null when none stands (see AiAnalysis)',
  })
  aiAnalysis(@Parent() score: GpuScore): AiAnalysis | null {
    return this.ai.analysisOf(score.gpuId) ?? null;
  }
}
