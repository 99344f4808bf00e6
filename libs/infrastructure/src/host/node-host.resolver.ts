import { Context, Float, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentScope, type PartialErrorsContext, type TenantScope, UpstreamRead } from '@kcloud/common';
import {
  type HostSample,
  memoryUtilizationPercentOf,
  rootFilesystemUsedPercentOf,
} from '@kcloud/metrics-source';
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
    return (
      (await this.loaders.for(ctx, scope).load({ cluster: node.cluster, node: node.name }))
        ?.memoryTotalBytes ?? null
    );
  }

  @UpstreamRead()
  @ResolveField(() => Float, { nullable: true, description: 'node_memory_MemAvailable_bytes, bytes' })
  async memoryAvailableBytes(
    @Parent() node: Node,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<number | null> {
    return (
      (await this.loaders.for(ctx, scope).load({ cluster: node.cluster, node: node.name }))
        ?.memoryAvailableBytes ?? null
    );
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

  @UpstreamRead()
  @ResolveField(() => Float, {
    nullable: true,
    description: 'node_load1: 1-minute load average (runnable + uninterruptible tasks)',
  })
  async load1(
    @Parent() node: Node,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<number | null> {
    return (await this.host(node, ctx, scope))?.load1 ?? null;
  }

  @UpstreamRead()
  @ResolveField(() => Float, { nullable: true, description: 'node_load5: 5-minute load average' })
  async load5(
    @Parent() node: Node,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<number | null> {
    return (await this.host(node, ctx, scope))?.load5 ?? null;
  }

  @UpstreamRead()
  @ResolveField(() => Float, { nullable: true, description: 'node_load15: 15-minute load average' })
  async load15(
    @Parent() node: Node,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<number | null> {
    return (await this.host(node, ctx, scope))?.load15 ?? null;
  }

  @UpstreamRead()
  @ResolveField(() => Float, {
    nullable: true,
    description:
      'Root filesystem use, 0–100: (size − avail) / size of node_filesystem_*_bytes{mountpoint="/"} (not tmpfs/overlay); ' +
      'avail is what non-root users may still write, as df reports. Null without node_exporter or for a namespace-scoped key',
  })
  async rootFilesystemUsedPercent(
    @Parent() node: Node,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<number | null> {
    const host = await this.host(node, ctx, scope);
    return (host && rootFilesystemUsedPercentOf(host)) ?? null;
  }

  @UpstreamRead()
  @ResolveField(() => Float, {
    nullable: true,
    description: 'node_filesystem_size_bytes of the root filesystem, bytes',
  })
  async rootFilesystemSizeBytes(
    @Parent() node: Node,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<number | null> {
    return (await this.host(node, ctx, scope))?.rootFilesystemSizeBytes ?? null;
  }

  @UpstreamRead()
  @ResolveField(() => Float, {
    nullable: true,
    description: 'node_filesystem_avail_bytes of the root filesystem, bytes',
  })
  async rootFilesystemAvailableBytes(
    @Parent() node: Node,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<number | null> {
    return (await this.host(node, ctx, scope))?.rootFilesystemAvailableBytes ?? null;
  }

  @UpstreamRead()
  @ResolveField(() => Float, {
    nullable: true,
    description:
      'Bytes/s received over the rate window: rate(node_network_receive_bytes_total) summed over physical interfaces ' +
      '(not lo, veth*, cali*, flannel*, cni*, docker*, …: container traffic also crosses a physical NIC)',
  })
  async networkReceiveBytesPerSecond(
    @Parent() node: Node,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<number | null> {
    return (await this.host(node, ctx, scope))?.networkReceiveBytesPerSecond ?? null;
  }

  @UpstreamRead()
  @ResolveField(() => Float, {
    nullable: true,
    description:
      'Bytes/s transmitted over the rate window: rate(node_network_transmit_bytes_total) summed over physical interfaces',
  })
  async networkTransmitBytesPerSecond(
    @Parent() node: Node,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<number | null> {
    return (await this.host(node, ctx, scope))?.networkTransmitBytesPerSecond ?? null;
  }

  private host(node: Node, ctx: PartialErrorsContext, scope: TenantScope): Promise<HostSample | undefined> {
    return this.loaders.for(ctx, scope).load({ cluster: node.cluster, node: node.name });
  }
}
