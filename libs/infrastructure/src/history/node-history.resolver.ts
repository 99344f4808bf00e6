import { Resolver } from '@nestjs/graphql';
import { type HistoryFieldRequest, HistoryFieldResolver } from '@kcloud/accelerators';
import { Node } from '../models/node.model';
import { NodeHistoryMetric, NodeHistoryPoint, nodeHistoryFields } from './node-history.model';
import { NodeHistoryLoaders } from './node-history.loaders';
import { nodeHistoryKey } from './node-history.service';

@Resolver(() => Node)
export class NodeHistoryResolver extends HistoryFieldResolver<Node, NodeHistoryMetric>({
  parent: () => Node,
  point: NodeHistoryPoint,
  metric: NodeHistoryMetric,
  description:
    "The node's power at every step from range.from to range.to: whole-node power by the shared rule and its " +
    "components (Kepler, IPMI DCMI), and node_exporter's memory, CPU, load, root filesystem and network when " +
    'asked (metrics), batched per request. Step and bounds as Gpu.history. Node-wide: FORBIDDEN for a ' +
    'namespace-scoped key',
}) {
  constructor(private readonly loaders: NodeHistoryLoaders) {
    super();
  }

  load(
    node: Node,
    { range, metrics, ctx, scope }: HistoryFieldRequest<NodeHistoryMetric>,
  ): Promise<unknown[]> {
    const device = { cluster: node.cluster, node: node.name };
    const fields = nodeHistoryFields(metrics);
    return this.loaders.for(ctx, scope).load({ ...device, id: nodeHistoryKey(device), range, fields });
  }
}
