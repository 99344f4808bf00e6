import { Args, Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import {
  CurrentScope,
  type PartialErrorsContext,
  type TenantScope,
  TimeRangeInput,
  UpstreamRead,
} from '@kcloud/common';
import { historyRange } from '@kcloud/accelerators';
import { Node } from '../models/node.model';
import { NodeHistoryMetric, NodeHistoryPoint, nodeHistoryFields } from './node-history.model';
import { NodeHistoryLoaders } from './node-history.loaders';
import { nodeHistoryKey } from './node-history.service';

@Resolver(() => Node)
export class NodeHistoryResolver {
  constructor(private readonly loaders: NodeHistoryLoaders) {}

  @UpstreamRead({ rangeArg: 'range' })
  @ResolveField(() => [NodeHistoryPoint], {
    description:
      "The node's power at every step from range.from to range.to: whole-node power by the shared rule and its " +
      "components (Kepler, IPMI DCMI), and node_exporter's memory, CPU, load, root filesystem and network when " +
      'asked (metrics), batched per request. Step and bounds as Gpu.history. Node-wide: FORBIDDEN for a ' +
      'namespace-scoped key',
  })
  async history(
    @Parent() node: Node,
    @Args('range', { type: () => TimeRangeInput }) range: TimeRangeInput,
    @Args('stepSeconds', { type: () => Int, nullable: true }) stepSeconds: number | undefined,
    @Args('metrics', { type: () => [NodeHistoryMetric], nullable: true })
    metrics: NodeHistoryMetric[] | undefined,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<NodeHistoryPoint[]> {
    const checked = historyRange(range.from, range.to, stepSeconds ?? range.stepSeconds);
    const fields = nodeHistoryFields(metrics);
    const device = { cluster: node.cluster, node: node.name };
    const points = await this.loaders
      .for(ctx, scope)
      .load({ ...device, id: nodeHistoryKey(device), range: checked, fields });
    return points as NodeHistoryPoint[];
  }
}
