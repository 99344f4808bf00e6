import type { AppConfig, ClusterConfig, KeplerVersion, PartialResult } from '@kcloud/common';
import type { ClusterRegistry, PrometheusClient } from '@kcloud/prometheus';
import type {
  ContainerPowerSample,
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
import type { InfraFilter } from '../shared/infra-filter';
import type { PromSample } from '../shared/prom-sample';
import { fanOutInfra } from '../shared/infra-fan-out';
import { joinKubeNodes, kubeNodesQuery } from './kube-nodes';
import { joinNodeEnergy, joinNodePower, joinNodePowerRange } from './node-power-join';
import { nodePowerQuery } from './node-power-query';
import type { PowerReading } from './power-promql';
import { joinContainers, joinPodEnergy, joinPodPowerRange, joinPods } from './workload-join';
import { workloadQuery } from './workload-query';

/**
 * Node and workload power from Prometheus: one request per cluster and call, whatever the number of nodes or pods.
 * Every answer is one union query (node-power-query.ts, workload-query.ts, kube-nodes.ts) joined in memory; the
 * cluster's Kepler generation picks the families (kepler-generations.ts).
 */
export class PrometheusPower implements PowerSource {
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

  podPower(filter: InfraFilter): Promise<PartialResult<PodPowerSample>> {
    return this.workloadNow(filter, 'pod', joinPods);
  }

  containerPower(filter: InfraFilter): Promise<PartialResult<ContainerPowerSample>> {
    return this.workloadNow(filter, 'container', joinContainers);
  }

  /** Current pod or container power with kube-state-metrics' placement and Kepler's absolute counters. */
  private workloadNow<T extends PodPowerSample>(
    filter: InfraFilter,
    level: 'pod' | 'container',
    join: (cluster: string, samples: readonly PromSample[], observedAt: Date) => T[],
  ): Promise<PartialResult<T>> {
    return this.perCluster(filter, async (client, cluster) => {
      const time = new Date();
      const query = workloadQuery(this.version(cluster), this.scope(cluster), filter, this.watts(), {
        level,
        kube: true,
        counters: true,
      });
      return join(cluster.name, await client.instant(query, { time }), time);
    });
  }

  async kubeNodes(filter: InfraFilter): Promise<PartialResult<KubeNodeSample>> {
    return this.perCluster(filter, async (client, cluster) =>
      joinKubeNodes(cluster.name, await client.instant(kubeNodesQuery(this.scope(cluster)))),
    );
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

  private perCluster<T extends { readonly cluster: string; readonly node?: string }>(
    filter: InfraFilter,
    read: (client: PrometheusClient, cluster: ClusterConfig) => Promise<T[]>,
  ): Promise<PartialResult<T>> {
    return fanOutInfra(this.registry, filter, read);
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
