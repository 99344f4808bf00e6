import { Args, Query, Resolver } from '@nestjs/graphql';
import {
  CurrentField,
  CurrentScope,
  fullList,
  type ResponseField,
  type TenantScope,
  UpstreamRead,
} from '@kcloud/common';
import { GpuAllocationService } from './gpu-allocation.service';
import { UnmatchedGpuRequest } from './unmatched-gpu-request.model';

@Resolver()
export class GpuAllocationResolver {
  constructor(private readonly allocation: GpuAllocationService) {}

  // One kube-state-metrics query per cluster on every call (not cached): each alias is charged like other reads.
  @UpstreamRead()
  @Query(() => [UnmatchedGpuRequest], {
    description:
      'Running pods whose GPU requests no device accounts for (no device names the pod in its exporter labels), ' +
      'against the latest analysis; a failed cluster is reported as an error beside the others',
  })
  async unmatchedGpuRequests(
    @Args('cluster', { type: () => String, nullable: true }) cluster: string | undefined,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<UnmatchedGpuRequest[]> {
    return fullList(field, await this.allocation.unmatched(scope, cluster ?? undefined));
  }
}
