import { Args, Resolver, Subscription } from '@nestjs/graphql';
import {
  CurrentPrincipal,
  CurrentScope,
  type DomainError,
  type Principal,
  type TenantScope,
} from '@kcloud/common';
import { ClusterLabelResolution } from '@kcloud/metrics-source';
import { GpuMetricsSnapshot } from './gpu-metrics-snapshot.model';
import { GpuMetricsUpdatedArgs } from './gpu-metrics-updated.args';
import { GpuMetricsHub } from './gpu-metrics.hub';

@Resolver(() => GpuMetricsSnapshot)
export class GpuMetricsResolver {
  constructor(
    private readonly hub: GpuMetricsHub,
    private readonly labels: ClusterLabelResolution,
  ) {}

  @Subscription(() => GpuMetricsSnapshot, {
    description:
      'GPU readings (as gpus lists them, with dataQuality) every intervalSeconds; subscribers with equal arguments ' +
      'and scope share one timer and one upstream read per tick',
    resolve: (snapshot: GpuMetricsSnapshot) => snapshot,
  })
  gpuMetricsUpdated(
    @Args() args: GpuMetricsUpdatedArgs,
    @CurrentScope() scope: TenantScope,
    @CurrentPrincipal() principal: Principal | undefined,
  ): AsyncIterableIterator<GpuMetricsSnapshot | DomainError> {
    return this.hub.iterate(
      {
        filter: this.labels.resolve(args.filter ?? {}),
        intervalSeconds: args.intervalSeconds,
        first: args.first,
      },
      scope,
      principal,
    );
  }
}
