import { Context, Float, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentScope, type PartialErrorsContext, type TenantScope, UpstreamRead } from '@kcloud/common';
import type { HostSample } from '@kcloud/metrics-source';
import { Node } from '../models/node.model';
import { CpuCore } from './cpu-core.model';
import { type HostField, HOST_FIELDS, hostFieldValue } from './node-host.fields';
import { NodeHostLoaders } from './node-host.loaders';

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

/**
 * One field resolver per HOST_FIELDS row, declared with the same decorators a hand-written method would carry
 * (parameter decorators first, then the method's, bottom-up as TypeScript applies them): the rows differ only in
 * name, description and reading, so they share one body instead of eleven copies.
 */
function defineHostField(field: HostField): void {
  const proto = NodeHostResolver.prototype as unknown as Record<string, unknown>;
  async function resolve(
    this: NodeHostResolver,
    node: Node,
    ctx: PartialErrorsContext,
    scope: TenantScope,
  ): Promise<number | null> {
    return hostFieldValue(field, await this.host(node, ctx, scope));
  }
  Object.defineProperty(proto, field.name, { value: resolve, writable: true, configurable: true });
  Parent()(proto, field.name, 0);
  Context()(proto, field.name, 1);
  CurrentScope()(proto, field.name, 2);
  const descriptor = Object.getOwnPropertyDescriptor(proto, field.name)!;
  ResolveField(() => Float, { nullable: true, description: field.description })(
    proto,
    field.name,
    descriptor,
  );
  UpstreamRead()(proto, field.name, descriptor);
}

HOST_FIELDS.forEach(defineHostField);
