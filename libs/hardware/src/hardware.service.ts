import { Inject, Injectable } from '@nestjs/common';
import { CacheService } from '@kcloud/cache';
import { assertNodeWideAccess, type PartialResult, type TenantScope } from '@kcloud/common';
import {
  type InfraFilter,
  IPMI_SOURCE,
  type IpmiSource,
  type LabelMatch,
  POWER_SOURCE,
  type PowerSource,
  selectClusters,
} from '@kcloud/metrics-source';
import type { IpmiSensor, IpmiSensorType, ServerPower } from './models/ipmi-sensor.model';
import { compareSensors, SENSOR_TYPES, toIpmiSensor } from './sensor-view';

export interface HardwareQuery {
  readonly cluster?: string;
  /** Cluster labels to match; resolved into `labelledClusters` at the resolver (ClusterLabelResolution). */
  readonly clusterLabels?: readonly LabelMatch[];
  /** The clusters `clusterLabels` selected; absent when the query names no labels (empty: none matched). */
  readonly labelledClusters?: readonly string[];
  readonly node?: string;
}

/**
 * BMC sensors and DCMI server power. Hardware is infrastructure: it follows the caller's cluster scope, and a
 * namespace-scoped key reads none of it (a node's sensors and its BMC address belong to every tenant on the node).
 * All sensor types come in one request per cluster and are cached together; the type filter is applied in memory.
 */
@Injectable()
export class HardwareService {
  constructor(
    @Inject(POWER_SOURCE) private readonly powerSource: PowerSource,
    @Inject(IPMI_SOURCE) private readonly ipmiSource: IpmiSource,
    private readonly cache: CacheService,
  ) {}

  async sensors(
    query: HardwareQuery & { readonly type?: IpmiSensorType },
    scope: TenantScope,
  ): Promise<PartialResult<IpmiSensor>> {
    // A power sensor is the node's input power (what nodePower refuses), the others name the BMC: node-wide.
    assertNodeWideAccess('IPMI sensors are', scope);
    const filter = this.filter(query, scope);
    if (filter.clusters?.length === 0) return { items: [], failures: [] };
    const result = await this.cache.getOrLoad(`hardware:ipmi:${JSON.stringify(filter)}`, 'realtime', () =>
      this.ipmiSource.ipmiSensors(filter),
    );
    const wanted = query.type === undefined ? undefined : SENSOR_TYPES[query.type].source;
    const items = result.items
      .filter((s) => wanted === undefined || s.type === wanted)
      .map(toIpmiSensor)
      .sort(compareSensors);
    return { items, failures: result.failures };
  }

  /** Server input power per node from the BMC (ipmi_dcmi_power_consumption_watts). */
  async serverPower(query: HardwareQuery, scope: TenantScope): Promise<PartialResult<ServerPower>> {
    // Server input power sums every tenant on the node, like PUE: not a namespace-scoped key's to read.
    assertNodeWideAccess('nodePower is', scope);
    const filter = this.filter(query, scope);
    if (filter.clusters?.length === 0) return { items: [], failures: [] };
    const result = await this.cache.getOrLoad(`hardware:dcmi:${JSON.stringify(filter)}`, 'realtime', () =>
      this.powerSource.nodePower(filter),
    );
    const items = result.items
      .flatMap((n) =>
        n.serverInputWatts === undefined
          ? []
          : [{ cluster: n.cluster, node: n.node, powerWatts: n.serverInputWatts, observedAt: n.observedAt }],
      )
      .sort((a, b) => a.cluster.localeCompare(b.cluster) || a.node.localeCompare(b.node));
    return { items, failures: result.failures };
  }

  private filter(q: HardwareQuery, scope: TenantScope): InfraFilter {
    const filter: { clusters?: readonly string[]; nodes?: readonly string[] } = {};
    const clusters = selectClusters(q.cluster, q.labelledClusters, scope.clusters);
    if (clusters) filter.clusters = clusters;
    if (q.node !== undefined) filter.nodes = [q.node];
    return filter;
  }
}
