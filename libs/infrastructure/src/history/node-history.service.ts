import { Inject, Injectable } from '@nestjs/common';
import { assertNodeWideAccess, type ClusterFailure, narrow, type TenantScope } from '@kcloud/common';
import type { HistoryRange, HistoryReadings } from '@kcloud/accelerators';
import { type InfraFilter, nodePowerSteps, POWER_SOURCE, type PowerSource } from '@kcloud/metrics-source';
import type { NodeHistoryField } from './node-history.model';

export interface NodeHistoryDevice {
  readonly cluster: string;
  readonly node: string;
}

export type NodeReadings = HistoryReadings<NodeHistoryField, number | string>;

export const nodeHistoryKey = (d: NodeHistoryDevice): string => `${d.cluster}\u0000${d.node}`;

/**
 * Range reads for `Node.history`: every node asked for in one call is one node-power range read per cluster (the
 * export's query), pivoted per step with the whole-node rule. Node-wide like IPMI: refused to a namespace-scoped key.
 */
@Injectable()
export class NodeHistoryService {
  constructor(@Inject(POWER_SOURCE) private readonly source: PowerSource) {}

  async series(
    nodes: readonly NodeHistoryDevice[],
    range: HistoryRange,
    scope: TenantScope,
  ): Promise<{ byKey: Map<string, Map<number, NodeReadings>>; failures: readonly ClusterFailure[] }> {
    assertNodeWideAccess('node power history is', scope);
    const byKey = new Map<string, Map<number, NodeReadings>>();
    const clusters = narrow([...new Set(nodes.map((n) => n.cluster))], scope.clusters);
    if (!clusters?.length) return { byKey, failures: [] };
    const filter: InfraFilter = { clusters, nodes: [...new Set(nodes.map((n) => n.node))] };
    const { items, failures } = await this.source.nodePowerRange(filter, range);
    for (const step of nodePowerSteps(items)) {
      const key = nodeHistoryKey(step);
      let points = byKey.get(key);
      if (!points) byKey.set(key, (points = new Map()));
      points.set(step.at, {
        ...step.values,
        nodePowerWatts: step.whole?.watts,
        nodePowerSource: step.whole?.source,
      });
    }
    return { byKey, failures };
  }
}
