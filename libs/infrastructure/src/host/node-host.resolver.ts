import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentScope, type PartialErrorsContext, type TenantScope, UpstreamRead } from '@kcloud/common';
import type { HostSample } from '@kcloud/metrics-source';
import { Node } from '../models/node.model';
import { CpuCore } from './cpu-core.model';
import { type HostField, HOST_FIELDS, hostFieldValue } from './node-host.fields';
import { NodeHostLoaders } from './node-host.loaders';
import { defineUpstreamFields } from '../request/upstream-fields';

/** Node fields read from node_exporter (batched across the nodes of a response); null without it or for a namespace key. */
@Resolver(() => Node)
export class NodeHostResolver {
  constructor(private readonly loaders: NodeHostLoaders) {}

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
    const host = await this.host(node, ctx, scope);
    return host ? host.cpuCores.map((c) => ({ ...c })) : null;
  }

  host(node: Node, ctx: PartialErrorsContext, scope: TenantScope): Promise<HostSample | undefined> {
    return this.loaders.for(ctx, scope).load({ cluster: node.cluster, node: node.name });
  }
}

// One field resolver per HOST_FIELDS row: the rows differ only in name, description and reading.
defineUpstreamFields<NodeHostResolver, Node, HostField>(
  NodeHostResolver,
  HOST_FIELDS,
  async function (field, node, ctx, scope) {
    return hostFieldValue(field, await this.host(node, ctx, scope));
  },
);
