import { Args, Query, Resolver } from '@nestjs/graphql';
import {
  CurrentField,
  CurrentScope,
  pagedList,
  type ResponseField,
  type TenantScope,
  UpstreamRead,
} from '@kcloud/common';
import { toAccelerator } from './accelerator-view';
import { ClusterLabelResolution } from '@kcloud/metrics-source';
import { DataQualityService } from './data-quality.service';
import { AcceleratorsArgs } from './dto/accelerators.args';
import { Accelerator } from './models/accelerator.model';
import { AcceleratorConnection } from './models/accelerator-connection.model';

@Resolver(() => Accelerator)
export class AcceleratorResolver {
  constructor(
    private readonly quality: DataQualityService,
    private readonly labels: ClusterLabelResolution,
  ) {}

  @UpstreamRead()
  @Query(() => AcceleratorConnection, {
    description:
      "GPUs and NPUs in one list (e.g. all devices of a node); use '... on Gpu' / '... on Npu' for the rest",
  })
  async accelerators(
    @Args() args: AcceleratorsArgs,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<AcceleratorConnection> {
    return pagedList(
      field,
      await this.quality.accelerators(this.labels.resolve(args.filter ?? {}), scope),
      args,
      (item) => ({
        ...toAccelerator(item),
        dataQuality: item.quality,
      }),
    );
  }
}
