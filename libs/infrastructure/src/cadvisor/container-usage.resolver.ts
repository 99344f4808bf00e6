import { Context, Float, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentScope, type PartialErrorsContext, type TenantScope, UpstreamRead } from '@kcloud/common';
import type { ContainerUsageSample } from '@kcloud/metrics-source';
import { Container } from '../models/container.model';
import { ContainerUsageLoaders, podKeyOf } from './container-usage.loaders';

/** Container CPU and memory from cAdvisor (batched across the containers of a response). */
@Resolver(() => Container)
export class ContainerUsageResolver {
  constructor(private readonly loaders: ContainerUsageLoaders) {}

  @UpstreamRead()
  @ResolveField(() => Float, {
    nullable: true,
    description:
      'CPU cores in use: rate(container_cpu_usage_seconds_total) over the rate window; null without cAdvisor',
  })
  async cpuCores(
    @Parent() container: Container,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<number | null> {
    return (await this.usage(container, ctx, scope))?.cpuCores ?? null;
  }

  @UpstreamRead()
  @ResolveField(() => Float, {
    nullable: true,
    description: 'container_memory_working_set_bytes, bytes; null without cAdvisor',
  })
  async memoryWorkingSetBytes(
    @Parent() container: Container,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<number | null> {
    return (await this.usage(container, ctx, scope))?.memoryWorkingSetBytes ?? null;
  }

  private async usage(
    c: Container,
    ctx: PartialErrorsContext,
    scope: TenantScope,
  ): Promise<ContainerUsageSample | undefined> {
    const pods = await this.loaders.for(ctx, scope).load(c.cluster);
    return pods.get(podKeyOf(c.namespace, c.pod))?.find((u) => u.container === c.name);
  }
}
