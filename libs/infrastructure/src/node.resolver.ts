import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Gpu, toGpu } from '@kcloud/accelerators';
import { ClusterLabelResolution } from '@kcloud/metrics-source';
import {
  CurrentField,
  CurrentScope,
  pagedList,
  type PartialErrorsContext,
  reportFailuresAt,
  type ResponseField,
  type TenantScope,
  UpstreamRead,
} from '@kcloud/common';
import { NodesArgs } from './dto/infra.args';
import { toPod } from './infra-view';
import { InfrastructureLoaders } from './infrastructure.loaders';
import { InfrastructureService } from './infrastructure.service';
import { NodeConnection } from './models/connections.model';
import { Node } from './models/node.model';
import { Pod } from './models/pod.model';

@Resolver(() => Node)
export class NodeResolver {
  constructor(
    private readonly infra: InfrastructureService,
    private readonly loaders: InfrastructureLoaders,
    private readonly labels: ClusterLabelResolution,
  ) {}

  @UpstreamRead()
  @Query(() => NodeConnection, {
    description: 'Kubernetes nodes with capacity, utilisation and power by component',
  })
  async nodes(
    @Args() args: NodesArgs,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<NodeConnection> {
    return pagedList(field, await this.infra.nodes(this.labels.resolve(args.filter ?? {}), scope), args);
  }

  @UpstreamRead()
  @Query(() => Node, {
    nullable: true,
    description: 'One node; name the cluster when the node name is not unique',
  })
  async node(
    @Args('name') name: string,
    @Args('cluster', { type: () => String, nullable: true }) cluster: string | undefined,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<Node | null> {
    const { node, failures } = await this.infra.node(name, cluster ?? undefined, scope);
    reportFailuresAt(field, failures);
    return node;
  }

  @UpstreamRead()
  @ResolveField(() => [Gpu], { description: 'The node’s GPUs and MIG instances (batched across nodes)' })
  async gpus(
    @Parent() node: Node,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<Gpu[]> {
    const gpus = await this.loaders
      .for(ctx, scope)
      .gpusByNode.load({ cluster: node.cluster, node: node.name });
    return gpus.map(toGpu);
  }

  @UpstreamRead()
  @ResolveField(() => [Pod], {
    description: 'Pods placed on the node, with their power (batched across nodes)',
  })
  async pods(
    @Parent() node: Node,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<Pod[]> {
    const pods = await this.loaders
      .for(ctx, scope)
      .podsByNode.load({ cluster: node.cluster, node: node.name });
    return pods.map(toPod);
  }
}
