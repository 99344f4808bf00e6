import { Inject, Injectable } from '@nestjs/common';
import { assertNodeWideAccess, type ClusterFailure, narrow, type TenantScope } from '@kcloud/common';
import type { HistoryRange, HistoryReadings } from '@kcloud/accelerators';
import {
  HOST_SERIES_SOURCE,
  type HostSeriesSource,
  type InfraFilter,
  nodePowerSteps,
  POWER_SOURCE,
  type PowerSource,
} from '@kcloud/metrics-source';
import { HOST_HISTORY_METRICS, type NodeHistoryField } from './node-history.model';

export interface NodeHistoryDevice {
  readonly cluster: string;
  readonly node: string;
}

export type NodeReadings = HistoryReadings<NodeHistoryField, number | string>;

export const nodeHistoryKey = (d: NodeHistoryDevice): string => `${d.cluster}\u0000${d.node}`;

/**
 * Range reads for `Node.history`: every node asked for in one call is one node-power range read per cluster (the
 * export's query), pivoted per step with the whole-node rule, plus node_exporter's memory and CPU when asked. Node-wide like IPMI: refused to a namespace-scoped key.
 */
@Injectable()
export class NodeHistoryService {
  constructor(
    @Inject(POWER_SOURCE) private readonly source: PowerSource,
    @Inject(HOST_SERIES_SOURCE) private readonly hosts: HostSeriesSource,
  ) {}

  /** `withHost`: also read node_exporter (memory, CPU, load, root filesystem, network: two more range queries per cluster). */
  async series(
    nodes: readonly NodeHistoryDevice[],
    range: HistoryRange,
    scope: TenantScope,
    withHost = false,
  ): Promise<{ byKey: Map<string, Map<number, NodeReadings>>; failures: readonly ClusterFailure[] }> {
    assertNodeWideAccess('node power history is', scope);
    const byKey = new Map<string, Map<number, NodeReadings>>();
    const clusters = narrow([...new Set(nodes.map((n) => n.cluster))], scope.clusters);
    if (!clusters?.length) return { byKey, failures: [] };
    const filter: InfraFilter = { clusters, nodes: [...new Set(nodes.map((n) => n.node))] };
    const [power, host] = await Promise.all([
      this.source.nodePowerRange(filter, range),
      withHost ? this.hosts.nodeHostSeries(filter, range) : { items: [], failures: [] },
    ]);
    const merge = (d: NodeHistoryDevice, at: number, readings: NodeReadings) => {
      let points = byKey.get(nodeHistoryKey(d));
      if (!points) byKey.set(nodeHistoryKey(d), (points = new Map()));
      points.set(at, { ...points.get(at), ...readings });
    };
    for (const step of nodePowerSteps(power.items))
      merge(step, step.at, {
        ...step.values,
        nodePowerWatts: step.whole?.watts,
        nodePowerSource: step.whole?.source,
      });
    for (const h of host.items)
      merge(h, h.timestampMs, Object.fromEntries(HOST_HISTORY_METRICS.map((m) => [m, h[m]])));
    return { byKey, failures: [...power.failures, ...host.failures] };
  }
}
