import { Context, Float, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentScope, type PartialErrorsContext, type TenantScope, UpstreamRead } from '@kcloud/common';
import { Pod } from '../models/pod.model';
import { ContainerUsageLoaders, podKeyOf, podUsageOf } from './container-usage.loaders';

/** Pod CPU and memory from cAdvisor, summed over its containers (batched across the pods of a response). */
@Resolver(() => Pod)
export class PodUsageResolver {
  constructor(private readonly loaders: ContainerUsageLoaders) {}

  @UpstreamRead()
  @ResolveField(() => Float, {
    nullable: true,
    description:
      'CPU cores in use: rate(container_cpu_usage_seconds_total) over the rate window, summed over the pod’s ' +
      'containers (not the pod cgroup or pause rows); null without cAdvisor',
  })
  async cpuCores(
    @Parent() pod: Pod,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<number | null> {
    const pods = await this.loaders.for(ctx, scope).load(pod.cluster);
    return podUsageOf(pods.get(podKeyOf(pod.namespace, pod.name)), 'cpuCores') ?? null;
  }

  @UpstreamRead()
  @ResolveField(() => Float, {
    nullable: true,
    description:
      'container_memory_working_set_bytes summed over the pod’s containers, bytes; null without cAdvisor',
  })
  async memoryWorkingSetBytes(
    @Parent() pod: Pod,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<number | null> {
    const pods = await this.loaders.for(ctx, scope).load(pod.cluster);
    return podUsageOf(pods.get(podKeyOf(pod.namespace, pod.name)), 'memoryWorkingSetBytes') ?? null;
  }
}
