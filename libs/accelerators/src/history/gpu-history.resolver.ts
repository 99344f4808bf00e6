import { Args, Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import {
  CurrentScope,
  type PartialErrorsContext,
  type TenantScope,
  TimeRangeInput,
  UpstreamRead,
} from '@kcloud/common';
import { Gpu } from '../models/gpu.model';
import { GpuHistoryMetric, GpuHistoryPoint } from '../models/gpu-history.model';
import { GpuHistoryLoaders } from './gpu-history.loaders';
import { GPU_HISTORY_FIELDS } from './gpu-history.service';
import { historyRange, requestedFields } from './history-range';

@Resolver(() => Gpu)
export class GpuHistoryResolver {
  constructor(private readonly loaders: GpuHistoryLoaders) {}

  @UpstreamRead({ rangeArg: 'range' })
  @ResolveField(() => [GpuHistoryPoint], {
    description:
      "The GPU's readings at every step from range.from to range.to (Prometheus range reads, batched per request). " +
      'Step: stepSeconds, else range.stepSeconds, else the coarser of 60 s and ~720 points; at most 11,000 points ' +
      'per GPU and 250,000 per request. metrics: the readings to fill (default all); others stay null. SCORE and ' +
      "STATUS come from the analyzer's exported gpu_utilization_score series in Prometheus (one more range query)",
  })
  async history(
    @Parent() gpu: Gpu,
    @Args('range', { type: () => TimeRangeInput }) range: TimeRangeInput,
    @Args('stepSeconds', { type: () => Int, nullable: true }) stepSeconds: number | undefined,
    @Args('metrics', { type: () => [GpuHistoryMetric], nullable: true })
    metrics: GpuHistoryMetric[] | undefined,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<GpuHistoryPoint[]> {
    const checked = historyRange(range.from, range.to, stepSeconds ?? range.stepSeconds);
    const fields = requestedFields(GPU_HISTORY_FIELDS, metrics);
    // Each field carries the type its source gives it: the DCGM readings and score are numbers, status a string.
    const points = await this.loaders
      .for(ctx, scope)
      .load({ cluster: gpu.cluster, uuid: gpu.uuid, id: gpu.id, range: checked, fields });
    return points as GpuHistoryPoint[];
  }
}
