import { Args, Context, Float, Resolver, Subscription } from '@nestjs/graphql';
import { principalOfContext, type Principal, UNRESTRICTED, validatedInput } from '@kcloud/common';
import { ClusterLabelResolution } from '@kcloud/metrics-source';
import { AnalyzerConfigService } from '../analyzer-config.service';
import { GpuScoreChangedFilterInput } from '../dto/gpu-score-filter.input';
import { AnalysisCompleted, GpuScoreChange } from '../models/score-events.model';
import { ScoreSubscriptions } from '../score-subscriptions.service';

type WsContext = { principal?: Principal; req?: { principal?: Principal } };

const FILTER_VALIDATION = validatedInput(GpuScoreChangedFilterInput);

@Resolver()
export class ScoreSubscriptionResolver {
  constructor(
    private readonly subscriptions: ScoreSubscriptions,
    private readonly config: AnalyzerConfigService,
    private readonly labels: ClusterLabelResolution,
  ) {}

  @Subscription(() => GpuScoreChange, {
    description:
      'A GPU’s status changed or its score moved by at least minDelta (1–100, default ANALYZER_MIN_DELTA)',
    resolve: (change: GpuScoreChange) => change,
  })
  gpuScoreChanged(
    // A pipe of its own: decorator metadata records the union parameter type as Object, and the global ValidationPipe
    // skips Object, so the filter's bounds (uuids' ArrayMaxSize, the MaxLengths) would never be checked.
    @Args('filter', { type: () => GpuScoreChangedFilterInput, nullable: true }, FILTER_VALIDATION)
    filter: GpuScoreChangedFilterInput | undefined,
    @Args('minDelta', { type: () => Float, nullable: true }) minDelta: number | undefined,
    @Context() ctx: WsContext,
  ): AsyncIterableIterator<GpuScoreChange> {
    const scope = principalOfContext(ctx)?.scope ?? UNRESTRICTED;
    // Labels resolve once, at subscribe time: the subscription keeps the clusters that carried them then.
    return this.subscriptions.scoreChanges(
      this.labels.resolve(filter ?? {}),
      minDelta ?? this.config.current().minDelta,
      scope,
    );
  }

  @Subscription(() => AnalysisCompleted, {
    description: 'Once per analysis cycle: the run, its duration and the statistics the subscriber may see',
    resolve: (event: AnalysisCompleted) => event,
  })
  analysisCompleted(@Context() ctx: WsContext): AsyncIterableIterator<AnalysisCompleted> {
    return this.subscriptions.analysisCompleted(principalOfContext(ctx)?.scope ?? UNRESTRICTED);
  }
}
