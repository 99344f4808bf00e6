import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import {
  CurrentScope,
  paginate,
  type PartialErrorsContext,
  reportClusterFailures,
  type TenantScope,
  UpstreamRead,
} from '@kcloud/common';
import { GpuProcessesArgs } from './dto/gpu-processes.args';
import { GpuProcessService } from './gpu-process.service';
import { GpuProcess } from './models/gpu-process.model';
import { GpuProcessConnection } from './models/gpu-process-connection.model';

@Resolver(() => GpuProcess)
export class GpuProcessResolver {
  constructor(private readonly processes: GpuProcessService) {}

  @UpstreamRead()
  @Query(() => GpuProcessConnection, {
    description:
      'Processes on GPUs where the exporter reports them (all-smi, nvidia_gpu_exporter; dcgm-exporter reports none)',
  })
  async gpuProcesses(
    @Args() args: GpuProcessesArgs,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<GpuProcessConnection> {
    const { items, failures } = await this.processes.gpuProcesses(args.filter ?? {}, scope);
    reportClusterFailures(ctx, failures, ['gpuProcesses']);
    return paginate(items, args.first, args.after);
  }
}
