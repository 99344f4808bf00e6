import { Args, Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import {
  CurrentScope,
  type PartialErrorsContext,
  type TenantScope,
  TimeRangeInput,
  UpstreamRead,
} from '@kcloud/common';
import { Npu } from '../models/npu.model';
import { NPU_HISTORY_FIELDS, NpuHistoryMetric, NpuHistoryPoint } from '../models/npu-history.model';
import { NpuHistoryLoaders } from './npu-history.loaders';
import { historyRange, requestedFields } from './history-range';
import { npuHistoryKey } from './npu-history.service';

@Resolver(() => Npu)
export class NpuHistoryResolver {
  constructor(private readonly loaders: NpuHistoryLoaders) {}

  @UpstreamRead({ rangeArg: 'range' })
  @ResolveField(() => [NpuHistoryPoint], {
    description:
      "The card's readings at every step from range.from to range.to (Prometheus range reads of its exporter's " +
      'series, batched per request). Step and bounds as Gpu.history. metrics: the readings to fill (default all)',
  })
  async history(
    @Parent() npu: Npu,
    @Args('range', { type: () => TimeRangeInput }) range: TimeRangeInput,
    @Args('stepSeconds', { type: () => Int, nullable: true }) stepSeconds: number | undefined,
    @Args('metrics', { type: () => [NpuHistoryMetric], nullable: true })
    metrics: NpuHistoryMetric[] | undefined,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<NpuHistoryPoint[]> {
    const checked = historyRange(range.from, range.to, stepSeconds ?? range.stepSeconds);
    const fields = requestedFields(NPU_HISTORY_FIELDS, metrics);
    const device = { cluster: npu.cluster, uuid: npu.uuid };
    return this.loaders
      .for(ctx, scope)
      .load({ ...device, id: npuHistoryKey(device), range: checked, fields });
  }
}
