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
import { GpuProcessesArgs } from './dto/gpu-processes.args';
import { GpuProcessService } from './gpu-process.service';
import { GpuProcess } from './models/gpu-process.model';
import { GpuProcessConnection } from './models/gpu-process-connection.model';

@Resolver(() => GpuProcess)
export class GpuProcessResolver {
  constructor(
    private readonly processes: GpuProcessService,
    private readonly labels: ClusterLabelResolution,
  ) {}

  @UpstreamRead()
  @Query(() => GpuProcessConnection, {
    description:
      'Processes on GPUs where the exporter reports them (all-smi, nvidia_gpu_exporter; dcgm-exporter reports none)',
  })
  async gpuProcesses(
    @Args() args: GpuProcessesArgs,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<GpuProcessConnection> {
    return pagedList(
      field,
      await this.processes.gpuProcesses(this.labels.resolve(args.filter ?? {}), scope),
      args,
    );
  }
}
