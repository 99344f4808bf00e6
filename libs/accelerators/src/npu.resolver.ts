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
import { NpusArgs } from './dto/npus.args';
import { Npu } from './models/npu.model';
import { NpuConnection } from './models/npu-connection.model';
import { toNpu } from './npu-view';

@Resolver(() => Npu)
export class NpuResolver {
  constructor(
    private readonly quality: DataQualityService,
    private readonly labels: ClusterLabelResolution,
  ) {}

  @UpstreamRead()
  @Query(() => NpuConnection, {
    description:
      'NPU cards (FuriosaAI, Rebellions) across clusters; failed clusters add CLUSTER_UNAVAILABLE errors',
  })
  async npus(
    @Args() args: NpusArgs,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<NpuConnection> {
    return pagedList(
      field,
      await this.quality.npus(this.labels.resolve(args.filter ?? {}), scope),
      args,
      withQuality(toNpu),
    );
  }

  @UpstreamRead()
  @Query(() => Npu, { nullable: true, description: 'One NPU card by its UUID' })
  async npu(
    @Args('uuid', { type: () => ID }) uuid: string,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<Npu | null> {
    const { npu, failures } = await this.quality.npu(uuid, scope);
    reportFailuresAt(field, failures);
    return npu && withQuality(toNpu)(npu);
  }
}
