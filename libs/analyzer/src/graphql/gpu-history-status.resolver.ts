import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { GpuHistoryPoint } from '@kcloud/accelerators';
import { GpuScoreStatus } from '../models/gpu-score-status.enum';

const STATUS_BY_LABEL = new Map<string, GpuScoreStatus>(Object.values(GpuScoreStatus).map((s) => [s, s]));

/** The typed status of an exported status label (idle, low, …); undefined for none or a label it does not know. */
export const scoreStatusOf = (label: string | undefined): GpuScoreStatus | undefined =>
  label === undefined ? undefined : STATUS_BY_LABEL.get(label);

/**
 * `GpuHistoryPoint.scoreStatus`: the point's `status` label as the GpuScoreStatus enum. The label field stays a
 * string (schema changes are additive); this one lets a client switch on the same values as GpuScore.status. It lives
 * here because the enum is the analyzer's and accelerators may not depend on the analyzer.
 */
@Resolver(() => GpuHistoryPoint)
export class GpuHistoryStatusResolver {
  @ResolveField(() => GpuScoreStatus, {
    nullable: true,
    description:
      "The analyzer's status at this step as GpuScoreStatus (the `status` label typed); null where `status` is " +
      'null. Filled when the history reads STATUS (metrics argument; default all)',
  })
  scoreStatus(@Parent() point: GpuHistoryPoint): GpuScoreStatus | undefined {
    return scoreStatusOf(point.status);
  }
}
