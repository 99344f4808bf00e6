import { Args, Resolver, Subscription } from '@nestjs/graphql';
import {
  CurrentPrincipal,
  CurrentScope,
  type DomainError,
  type Principal,
  type TenantScope,
} from '@kcloud/common';
import { ClusterLabelResolution } from '@kcloud/metrics-source';
import { PowerUpdatedArgs } from '../dto/power.args';
import { PowerSnapshot } from '../models/power-snapshot.model';
import { PowerStreamHub } from './power-stream.hub';

@Resolver(() => PowerSnapshot)
export class PowerStreamResolver {
  constructor(
    private readonly hub: PowerStreamHub,
    private readonly labels: ClusterLabelResolution,
  ) {}

  @Subscription(() => PowerSnapshot, {
    description:
      'A power snapshot every intervalSeconds (1–300, default 5); subscribers with equal arguments share one timer',
    resolve: (snapshot: PowerSnapshot) => snapshot,
  })
  powerUpdated(
    @Args() args: PowerUpdatedArgs,
    @CurrentScope() scope: TenantScope,
    @CurrentPrincipal() principal: Principal | undefined,
  ): AsyncIterableIterator<PowerSnapshot | DomainError> {
    const { labelledClusters } = this.labels.resolve({ clusterLabels: args.clusterLabels });
    return this.hub.iterate(
      {
        cluster: args.cluster ?? undefined,
        ...(labelledClusters ? { labelledClusters } : {}),
        groupBy: args.groupBy,
        intervalSeconds: args.intervalSeconds,
      },
      scope,
      principal,
    );
  }
}
