import { Context, Float, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentScope, type PartialErrorsContext, type TenantScope, UpstreamRead } from '@kcloud/common';
import { memoryUtilizationPercentOf } from '@kcloud/metrics-source';
import { Node } from '../models/node.model';
import { CpuCore } from './cpu-core.model';
import { NodeHostLoaders } from './node-host.loaders';

/** Node fields read from node_exporter (batched across the nodes of a response); null without it or for a namespace key. */
@Resolver(() => Node)
export class NodeHostResolver {
  constructor(private readonly loaders: NodeHostLoaders) {}

  @UpstreamRead()
  @ResolveField(() => Float, {
    nullable: true,
    description:
      'Memory utilisation, 0–100: (MemTotal − MemAvailable) / MemTotal from node_exporter; null without node_exporter ' +
      'or for a namespace-scoped key (node-wide)',
  })
  async memoryUtilizationPercent(
    @Parent() node: Node,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<number | null> {
    const host = await this.loaders.for(ctx, scope).load({ cluster: node.cluster, node: node.name });
    return (host && memoryUtilizationPercentOf(host)) ?? null;
  }

  @UpstreamRead()
  @ResolveField(() => Float, { nullable: true, description: 'node_memory_MemTotal_bytes, bytes' })
  async memoryTotalBytes(
    @Parent() node: Node,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<number | null> {
    return (await this.loaders.for(ctx, scope).load({ cluster: node.cluster, node: node.name }))?.memoryTotalBytes ?? null;
  }

  @UpstreamRead()
  @ResolveField(() => Float, { nullable: true, description: 'node_memory_MemAvailable_bytes, bytes' })
  async memoryAvailableBytes(
    @Parent() node: Node,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<number | null> {
    return (await this.loaders.for(ctx, scope).load({ cluster: node.cluster, node: node.name }))?.memoryAvailableBytes ?? null;
  }

  @UpstreamRead()
  @ResolveField(() => [CpuCore], {
    nullable: true,
    description:
      'Per logical CPU busy share from node_exporter (1 − rate(node_cpu_seconds_total{mode="idle"})), in cpu order; ' +
      'null without node_exporter or for a namespace-scoped key',
  })
  async cpuCores(
    @Parent() node: Node,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<CpuCore[] | null> {
    const host = await this.loaders.for(ctx, scope).load({ cluster: node.cluster, node: node.name });
    return host ? host.cpuCores.map((c) => ({ ...c })) : null;
  }
}
