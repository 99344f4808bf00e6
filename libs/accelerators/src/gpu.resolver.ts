import { Args, Context, ID, Query, Resolver } from '@nestjs/graphql';
import {
  CurrentScope,
  pageOf,
  type PartialErrorsContext,
  reportClusterFailures,
  type TenantScope,
  UpstreamRead,
} from '@kcloud/common';
import { type WithDataQuality } from './data-quality.resolver';
import { DataQualityService } from './data-quality.service';
import { GpusArgs } from './dto/gpus.args';
import { toGpu } from './gpu-view';
import { Gpu } from './models/gpu.model';
import { GpuConnection } from './models/gpu-connection.model';

@Resolver(() => Gpu)
export class GpuResolver {
  constructor(private readonly quality: DataQualityService) {}

  @UpstreamRead()
  @Query(() => GpuConnection, {
    description: 'GPUs and MIG instances across clusters; failed clusters add CLUSTER_UNAVAILABLE errors',
  })
  async gpus(
    @Args() args: GpusArgs,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<GpuConnection> {
    const { items, failures } = await this.quality.gpus(args.filter ?? {}, scope);
    reportClusterFailures(ctx, failures, ['gpus']);
    // Only the page's rows are mapped (toGpu derives health per GPU).
    return pageOf(items, args.first, args.after, ({ sample, quality }) => ({ ...toGpu(sample), dataQuality: quality }));
  }

  @UpstreamRead()
  @Query(() => Gpu, {
    nullable: true,
    description: 'One GPU by UUID, or one MIG instance by UUID/instanceId',
  })
  async gpu(
    @Args('uuid', { type: () => ID }) uuid: string,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<Gpu | null> {
    const { gpu, failures } = await this.quality.gpu(uuid, scope);
    reportClusterFailures(ctx, failures, ['gpu']);
    if (!gpu) return null;
    const withQuality: WithDataQuality<Gpu> = { ...toGpu(gpu.sample), dataQuality: gpu.quality };
    return withQuality;
  }
}
