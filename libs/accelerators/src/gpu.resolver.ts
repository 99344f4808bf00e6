import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import {
  CurrentField,
  CurrentScope,
  pagedList,
  reportFailuresAt,
  type ResponseField,
  type TenantScope,
  UpstreamRead,
} from '@kcloud/common';
import { ClusterLabelResolution } from '@kcloud/metrics-source';
import { withQuality } from './data-quality.resolver';
import { DataQualityService } from './data-quality.service';
import { GpusArgs } from './dto/gpus.args';
import { toGpu } from './gpu-view';
import { Gpu } from './models/gpu.model';
import { GpuConnection } from './models/gpu-connection.model';

@Resolver(() => Gpu)
export class GpuResolver {
  constructor(
    private readonly quality: DataQualityService,
    private readonly labels: ClusterLabelResolution,
  ) {}

  @UpstreamRead()
  @Query(() => GpuConnection, {
    description: 'GPUs and MIG instances across clusters; failed clusters add CLUSTER_UNAVAILABLE errors',
  })
  async gpus(
    @Args() args: GpusArgs,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<GpuConnection> {
    // Only the page's rows are mapped (toGpu derives health per GPU).
    return pagedList(
      field,
      await this.quality.gpus(this.labels.resolve(args.filter ?? {}), scope),
      args,
      withQuality(toGpu),
    );
  }

  @UpstreamRead()
  @Query(() => Gpu, {
    nullable: true,
    description: 'One GPU by UUID, or one MIG instance by UUID/instanceId',
  })
  async gpu(
    @Args('uuid', { type: () => ID }) uuid: string,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<Gpu | null> {
    const { gpu, failures } = await this.quality.gpu(uuid, scope);
    reportFailuresAt(field, failures);
    return gpu && withQuality(toGpu)(gpu);
  }
}
