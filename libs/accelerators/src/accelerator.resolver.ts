import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import {
  CurrentScope,
  paginate,
  type PartialErrorsContext,
  reportClusterFailures,
  type TenantScope,
  UpstreamRead,
} from '@kcloud/common';
import { toAccelerator } from './accelerator-view';
import { DataQualityService } from './data-quality.service';
import { AcceleratorsArgs } from './dto/accelerators.args';
import { Accelerator } from './models/accelerator.model';
import { AcceleratorConnection } from './models/accelerator-connection.model';

@Resolver(() => Accelerator)
export class AcceleratorResolver {
  constructor(private readonly quality: DataQualityService) {}

  @UpstreamRead()
  @Query(() => AcceleratorConnection, {
    description:
      "GPUs and NPUs in one list (e.g. all devices of a node); use '... on Gpu' / '... on Npu' for the rest",
  })
  async accelerators(
    @Args() args: AcceleratorsArgs,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<AcceleratorConnection> {
    const { items, failures } = await this.quality.accelerators(args.filter ?? {}, scope);
    reportClusterFailures(ctx, failures, ['accelerators']);
    return paginate(
      items.map((item) => ({ ...toAccelerator(item), dataQuality: item.quality })),
      args.first,
      args.after,
    );
  }
}
