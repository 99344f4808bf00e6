import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Gpu, toGpu } from '@kcloud/accelerators';
import {
  CurrentScope,
  paginate,
  type PartialErrorsContext,
  reportClusterFailures,
  type TenantScope,
  UpstreamRead,
} from '@kcloud/common';
import { PodsArgs } from './dto/infra.args';
import { toContainer, toPod } from './infra-view';
import { InfrastructureLoaders } from './infrastructure.loaders';
import { InfrastructureService } from './infrastructure.service';
import { ContainerConnection, PodConnection } from './models/connections.model';
import { Pod } from './models/pod.model';

@Resolver(() => Pod)
export class PodResolver {
  constructor(
    private readonly infra: InfrastructureService,
    private readonly loaders: InfrastructureLoaders,
  ) {}

  @UpstreamRead()
  @Query(() => PodConnection, { description: 'Pods with Kepler power and energy and their GPU requests' })
  async pods(
    @Args() args: PodsArgs,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<PodConnection> {
    const { items, failures } = await this.infra.pods(args.filter ?? {}, scope);
    reportClusterFailures(ctx, failures, ['pods']);
    return paginate(items.map(toPod), args.first, args.after);
  }

  @UpstreamRead()
  @Query(() => ContainerConnection, {
    description: 'Containers with Kepler power and energy; filter name = pod name',
  })
  async containers(
    @Args() args: PodsArgs,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<ContainerConnection> {
    const { items, failures } = await this.infra.containers(args.filter ?? {}, scope);
    reportClusterFailures(ctx, failures, ['containers']);
    return paginate(items.map(toContainer), args.first, args.after);
  }

  @UpstreamRead()
  @ResolveField(() => [Gpu], {
    description: 'The GPUs and MIG instances the pod holds (batched across pods)',
  })
  async gpus(
    @Parent() pod: Pod,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<Gpu[]> {
    const gpus = await this.loaders
      .for(ctx, scope)
      .gpusByPod.load({ cluster: pod.cluster, namespace: pod.namespace, pod: pod.name });
    return gpus.map(toGpu);
  }
}
