import { Args, ArgsType, Query, Resolver } from '@nestjs/graphql';
import { ClusterLabelResolution } from '@kcloud/metrics-source';
import {
  type ClusterLabelMatchInput,
  ClusterLabelsFilter,
  CurrentField,
  CurrentScope,
  FilterText,
  fullList,
  type ResponseField,
  type TenantScope,
  UpstreamRead,
} from '@kcloud/common';
import { GpuAllocationService } from './gpu-allocation.service';
import { UnmatchedGpuRequest } from './unmatched-gpu-request.model';

@ArgsType()
class UnmatchedGpuRequestsArgs {
  @FilterText({ description: 'One cluster; all clusters in scope when omitted' }) cluster?: string;

  @ClusterLabelsFilter() clusterLabels?: ClusterLabelMatchInput[];
}

@Resolver()
export class GpuAllocationResolver {
  constructor(
    private readonly allocation: GpuAllocationService,
    private readonly labels: ClusterLabelResolution,
  ) {}

  // One kube-state-metrics query per cluster on every call (not cached): each alias is charged like other reads.
  @UpstreamRead()
  @Query(() => [UnmatchedGpuRequest], {
    description:
      'Running pods whose GPU requests no device accounts for (no device names the pod in its exporter labels), ' +
      'against the latest analysis; a failed cluster is reported as an error beside the others',
  })
  async unmatchedGpuRequests(
    @Args() args: UnmatchedGpuRequestsArgs,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<UnmatchedGpuRequest[]> {
    const { labelledClusters } = this.labels.resolve({ clusterLabels: args.clusterLabels });
    return fullList(
      field,
      await this.allocation.unmatched(scope, args.cluster ?? undefined, labelledClusters),
    );
  }
}
