import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  CurrentField,
  CurrentPrincipal,
  CurrentScope,
  type Principal,
  reportFailuresAt,
  type ResponseField,
  Roles,
  type TenantScope,
  UpstreamRead,
} from '@kcloud/common';
import { PowerService, PowerSummary, toPowerSummary } from '@kcloud/monitoring';
import { type ClusterRegistration } from './cluster-state.store';
import { ClustersService, type WithFailures } from './clusters.service';
import { ClusterFilterInput } from './dto/cluster-filter.input';
import { RegisterClusterInput } from './dto/register-cluster.input';
import { Cluster, ClusterSummary } from './models/cluster.model';
import { ClusterTopology } from './models/topology.model';

@Resolver(() => Cluster)
export class ClustersResolver {
  constructor(
    private readonly clusters: ClustersService,
    private readonly powerService: PowerService,
  ) {}

  @Query(() => [Cluster], {
    name: 'clusters',
    description: 'Clusters in the caller’s scope with health, latency and device/node counts',
  })
  async clusterList(
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
    @Args('filter', { type: () => ClusterFilterInput, nullable: true }) filter?: ClusterFilterInput,
  ): Promise<Cluster[]> {
    return report(field, await this.clusters.list(scope, filter?.labels));
  }

  @Query(() => Cluster, { description: 'One cluster; ask for summary, power and topology on it' })
  async cluster(
    @Args('name') name: string,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<Cluster> {
    return report(field, await this.clusters.get(name, scope));
  }

  @UpstreamRead()
  @ResolveField(() => ClusterSummary)
  async summary(
    @Parent() cluster: Cluster,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<ClusterSummary> {
    const now = await this.powerNow(cluster, field, scope);
    return report(field, await this.clusters.summary(cluster.name, scope, now.breakdown.totalWatts));
  }

  @UpstreamRead()
  @ResolveField(() => PowerSummary)
  async power(
    @Parent() cluster: Cluster,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<PowerSummary> {
    return toPowerSummary(await this.powerNow(cluster, field, scope));
  }

  /** The cluster's unified power now (cached by PowerService), its failed reads reported at the field. */
  private async powerNow(cluster: Cluster, field: ResponseField, scope: TenantScope) {
    const now = await this.powerService.power({ cluster: cluster.name }, scope);
    reportFailuresAt(field, now.failures);
    return now;
  }

  @UpstreamRead()
  @ResolveField(() => ClusterTopology)
  async topology(
    @Parent() cluster: Cluster,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<ClusterTopology> {
    return report(field, await this.clusters.topology(cluster.name, scope));
  }

  @Roles('admin')
  @Mutation(() => Cluster, { description: 'Adds a Prometheus-backed cluster at run time (admin)' })
  registerCluster(
    @Args('input') input: RegisterClusterInput,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<Cluster> {
    return this.clusters.register(toRegistration(input), principal?.name ?? 'anonymous');
  }

  @Roles('admin')
  @Mutation(() => Boolean, { description: 'Removes a cluster at run time (admin)' })
  removeCluster(
    @Args('name') name: string,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<boolean> {
    return this.clusters.remove(name, principal?.name ?? 'anonymous');
  }
}

function report<T>(field: ResponseField, result: WithFailures<T>): T {
  reportFailuresAt(field, result.failures);
  return result.value;
}

/** GraphQL's label list to PROMETHEUS_CLUSTERS' label object; the rest is the same shape. */
function toRegistration({ labels, ...rest }: RegisterClusterInput): ClusterRegistration {
  return {
    ...rest,
    ...(labels ? { labels: Object.fromEntries(labels.map((l) => [l.name, l.value])) } : {}),
  } as ClusterRegistration;
}
