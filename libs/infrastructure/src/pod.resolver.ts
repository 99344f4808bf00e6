import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Gpu, toGpu } from '@kcloud/accelerators';
import { ClusterLabelResolution } from '@kcloud/metrics-source';
import {
  CurrentField,
  CurrentScope,
  pagedList,
  type PartialErrorsContext,
  type ResponseField,
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
    private readonly labels: ClusterLabelResolution,
  ) {}

  @UpstreamRead()
  @Query(() => PodConnection, { description: 'Pods with Kepler power and energy and their GPU requests' })
  async pods(
    @Args() args: PodsArgs,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<PodConnection> {
    return pagedList(
      field,
      await this.infra.pods(this.labels.resolve(args.filter ?? {}), scope),
      args,
      toPod,
    );
  }

  @UpstreamRead()
  @Query(() => ContainerConnection, {
    description: 'Containers with Kepler power and energy; filter name = pod name',
  })
  async containers(
    @Args() args: PodsArgs,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<ContainerConnection> {
    return pagedList(
      field,
      await this.infra.containers(this.labels.resolve(args.filter ?? {}), scope),
      args,
      toContainer,
    );
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
