import { Args, Query, Resolver } from '@nestjs/graphql';
import {
  CurrentField,
  CurrentScope,
  pagedList,
  type ResponseField,
  type TenantScope,
  UpstreamRead,
} from '@kcloud/common';
import { ClusterLabelResolution } from '@kcloud/metrics-source';
import { withQuality } from '../data-quality.resolver';
import { DataQualityService } from '../data-quality.service';
import { GpusArgs } from '../dto/gpus.args';
import { toGpu } from '../gpu-view';
import { Gpu } from '../models/gpu.model';
import { GpuConnection } from '../models/gpu-connection.model';
import { unhealthyStatuses } from './unhealthy-filter';

/** `gpuHealth`: the `gpus` read with its `health` filter narrowed to the statuses that need attention. */
@Resolver(() => Gpu)
export class GpuHealthResolver {
  constructor(
    private readonly quality: DataQualityService,
    private readonly labels: ClusterLabelResolution,
  ) {}

  @UpstreamRead()
  @Query(() => GpuConnection, {
    description:
      'GPUs whose health is not HEALTHY (CRITICAL and WARNING unless filter.health names others), scoped like gpus',
  })
  async gpuHealth(
    @Args() args: GpusArgs,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<GpuConnection> {
    const health = unhealthyStatuses(args.filter?.health);
    const rows = health
      ? await this.quality.gpus(this.labels.resolve({ ...args.filter, health }), scope)
      : { items: [], failures: [] };
    return pagedList(field, rows, args, withQuality(toGpu));
  }
}
