import type { AppConfig, ClusterConfig, KeplerVersion, PartialResult } from '@kcloud/common';
import type { ClusterRegistry, PrometheusClient } from '@kcloud/prometheus';
import type {
  ContainerPowerSample,
  FacilityPowerSample,
  FacilitySourceInfo,
  InfraFilter,
  IpmiSensorSample,
  KubeNodeSample,
  NodeEnergySample,
  NodePowerSample,
  NodePowerSeries,
  PodEnergySample,
  PodPowerSample,
  PodPowerSeries,
  PowerRangeWindow,
  PowerSource,
} from './power.port';
import { matchesNothing } from '../shared/device-filter';
import { matchesInfra } from '../shared/infra-filter';
import {
  joinContainers,
  joinIpmiSensors,
  joinKubeNodes,
  joinNodeEnergy,
  joinNodePower,
  joinNodePowerRange,
  joinPodEnergy,
  joinPodPowerRange,
  joinPods,
} from './power-join';
import {
  facilityQuery,
  IPMI_FAMILIES,
  ipmiSensorsQuery,
  kubeNodesQuery,
  nodePowerQuery,
  type PowerReading,
  workloadQuery,
} from './power-queries';

const IPMI_TYPES = Object.keys(IPMI_FAMILIES) as (keyof typeof IPMI_FAMILIES)[];

/**
 * The power side of PrometheusSource: one request per cluster and call, whatever the number of nodes, pods or
 * sensors. Every answer is one union query (power-queries.ts) joined in memory (power-join.ts).
 */
export class PrometheusPowerReader implements PowerSource {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly config: AppConfig,
  ) {}

  async nodePower(filter: InfraFilter): Promise<PartialResult<NodePowerSample>> {
    return this.perCluster(filter, async (client, cluster) => {
      const time = new Date();
      const samples = await client.instant(
        nodePowerQuery(this.version(cluster), this.scope(cluster), this.watts(), true),
        { time },
      );
      return joinNodePower(cluster.name, samples, this.config.power.bmcNodeMap, time);
    });
  }

  async podPower(filter: InfraFilter): Promise<PartialResult<PodPowerSample>> {
    return this.perCluster(filter, async (client, cluster) => {
      const time = new Date();
      const query = workloadQuery(this.version(cluster), this.scope(cluster), filter, this.watts(), {
        level: 'pod',
        kube: true,
        counters: true,
      });
      return joinPods(cluster.name, await client.instant(query, { time }), time);
    });
  }

  async containerPower(filter: InfraFilter): Promise<PartialResult<ContainerPowerSample>> {
    return this.perCluster(filter, async (client, cluster) => {
      const time = new Date();
      const query = workloadQuery(this.version(cluster), this.scope(cluster), filter, this.watts(), {
        level: 'container',
        kube: true,
        counters: true,
      });
      return joinContainers(cluster.name, await client.instant(query, { time }), time);
    });
  }

  async kubeNodes(filter: InfraFilter): Promise<PartialResult<KubeNodeSample>> {
    return this.perCluster(filter, async (client, cluster) =>
      joinKubeNodes(cluster.name, await client.instant(kubeNodesQuery(this.scope(cluster)))),
    );
  }

  async ipmiSensors(filter: InfraFilter): Promise<PartialResult<IpmiSensorSample>> {
    return this.perCluster(filter, async (client, cluster) =>
      joinIpmiSensors(
        cluster.name,
        await client.instant(ipmiSensorsQuery(this.scope(cluster), IPMI_TYPES)),
        this.config.power.bmcNodeMap,
      ),
    );
  }

  facilitySource(): FacilitySourceInfo | undefined {
    const query = this.config.power.facilityQuery;
    return query ? { kind: 'query', description: `PUE_FACILITY_QUERY: ${query}` } : undefined;
  }

  async facilityPower(filter: InfraFilter): Promise<PartialResult<FacilityPowerSample>> {
    const expression = this.config.power.facilityQuery;
    if (!expression || matchesNothing(filter)) return { items: [], failures: [] };
    const { results, failures } = await this.registry.fanOut(filter.clusters, async (client, cluster) => {
      const samples = await client.instant(facilityQuery(expression));
      const finite = samples.filter((s) => Number.isFinite(s.value));
      if (!finite.length) return [];
      return [
        {
          cluster: cluster.name,
          watts: finite.reduce((sum, s) => sum + s.value, 0),
          observedAt: new Date(Math.max(...finite.map((s) => s.timestampMs))),
        },
      ];
    });
    return { items: results.flatMap((r) => r.value), failures };
  }

  async nodePowerRange(
    filter: InfraFilter,
    window: PowerRangeWindow,
  ): Promise<PartialResult<NodePowerSeries>> {
    return this.perCluster(filter, async (client, cluster) => {
      const series = await client.range(
        nodePowerQuery(this.version(cluster), this.scope(cluster), this.watts(), false),
        this.range(window),
      );
      return joinNodePowerRange(cluster.name, series, this.config.power.bmcNodeMap);
    });
  }

  async podPowerRange(filter: InfraFilter, window: PowerRangeWindow): Promise<PartialResult<PodPowerSeries>> {
    return this.perCluster(filter, async (client, cluster) => {
      const query = workloadQuery(this.version(cluster), this.scope(cluster), filter, this.watts(), {
        level: 'pod',
        kube: false,
        counters: false,
      });
      return joinPodPowerRange(cluster.name, await client.range(query, this.range(window)));
    });
  }

  async nodeEnergy(filter: InfraFilter, from: Date, to: Date): Promise<PartialResult<NodeEnergySample>> {
    const reading = energyReading(from, to);
    return this.perCluster(filter, async (client, cluster) => {
      const samples = await client.instant(
        nodePowerQuery(this.version(cluster), this.scope(cluster), reading, false),
        { time: to },
      );
      return joinNodeEnergy(cluster.name, samples, this.config.power.bmcNodeMap, reading.windowSeconds);
    });
  }

  async podEnergy(filter: InfraFilter, from: Date, to: Date): Promise<PartialResult<PodEnergySample>> {
    const reading = energyReading(from, to);
    return this.perCluster(filter, async (client, cluster) => {
      const query = workloadQuery(this.version(cluster), this.scope(cluster), filter, reading, {
        level: 'pod',
        kube: false,
        counters: false,
      });
      return joinPodEnergy(cluster.name, await client.instant(query, { time: to }), reading.windowSeconds);
    });
  }

  private async perCluster<
    T extends {
      readonly cluster: string;
      readonly node?: string;
      readonly namespace?: string;
      readonly pod?: string;
    },
  >(
    filter: InfraFilter,
    read: (client: PrometheusClient, cluster: ClusterConfig) => Promise<T[]>,
  ): Promise<PartialResult<T>> {
    if (matchesNothing(filter)) return { items: [], failures: [] };
    const { results, failures } = await this.registry.fanOut(filter.clusters, read);
    return { items: results.flatMap((r) => r.value).filter((item) => matchesInfra(filter, item)), failures };
  }

  private version(cluster: ClusterConfig): KeplerVersion {
    return cluster.keplerVersion ?? this.config.power.keplerVersion;
  }

  private scope(cluster: ClusterConfig) {
    return this.registry.scopeMatchers(cluster.name);
  }

  private watts(): PowerReading {
    return { kind: 'watts', windowSeconds: this.config.power.rateWindowSeconds };
  }

  private range(window: PowerRangeWindow) {
    return { start: window.from, end: window.to, stepSeconds: window.stepSeconds };
  }
}

/** Energy between `from` and `to`: read at `to` over the whole seconds between them. */
function energyReading(from: Date, to: Date): PowerReading {
  return { kind: 'energy', windowSeconds: Math.max(1, Math.round((to.getTime() - from.getTime()) / 1000)) };
}
