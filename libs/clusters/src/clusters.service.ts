import { Inject, Injectable, Logger } from '@nestjs/common';
import { CacheService } from '@kcloud/cache';
import {
  type ClusterFailure,
  DomainError,
  ErrorCode,
  inScope,
  notFound,
  type TenantScope,
} from '@kcloud/common';
import {
  type ClusterHealth,
  GPU_SNAPSHOT_SOURCE,
  type GpuSnapshotSource,
  NPU_SOURCE,
  type NpuSource,
  POWER_SOURCE,
  type PowerSource,
  SOURCE_STATUS,
  type SourceStatus,
} from '@kcloud/metrics-source';
import { ClusterRegistry } from '@kcloud/prometheus';
import { CircuitState, type Cluster, ClusterState, type ClusterSummary } from './models/cluster.model';
import type { ClusterTopology } from './models/topology.model';
import { buildTopology, countResources, physicalGpuCount } from './topology';
import { hasLabels, labelList, type LabelPair } from './cluster-labels';
import { type ClusterRegistration, ClusterStateStore } from './cluster-state.store';

const STATE: Readonly<Record<ClusterHealth['status'], ClusterState>> = {
  up: ClusterState.UP,
  down: ClusterState.DOWN,
  unknown: ClusterState.UNKNOWN,
};

export interface WithFailures<T> {
  readonly value: T;
  readonly failures: readonly ClusterFailure[];
}

/**
 * The clusters a caller may see, their health and counts, one cluster's summary and topology, and run-time
 * registration (admin). Counts cost a constant number of requests per cluster (GPU samples, kube-state-metrics nodes)
 * and are cached in the summary class.
 */
@Injectable()
export class ClustersService {
  private readonly logger = new Logger(ClustersService.name);

  constructor(
    @Inject(SOURCE_STATUS) private readonly statusSource: SourceStatus,
    @Inject(GPU_SNAPSHOT_SOURCE) private readonly gpuSource: GpuSnapshotSource,
    @Inject(NPU_SOURCE) private readonly npuSource: NpuSource,
    @Inject(POWER_SOURCE) private readonly powerSource: PowerSource,
    private readonly registry: ClusterRegistry,
    private readonly cache: CacheService,
    private readonly stored: ClusterStateStore,
  ) {}

  /** Clusters in scope, only those carrying every label of `labels` when given (filtered before any read). */
  async list(scope: TenantScope, labels?: readonly LabelPair[]): Promise<WithFailures<Cluster[]>> {
    const health = (await this.statusSource.health()).filter(
      (h) =>
        (!scope.clusters?.length || scope.clusters.includes(h.cluster)) &&
        hasLabels(this.registry.labels(h.cluster), labels),
    );
    const clusters = health.map((h) => h.cluster);
    if (!clusters.length) return { value: [], failures: [] };
    const filter = { clusters };
    const tenantFilter = withNamespaces(filter, scope);
    const [gpus, nodes] = await Promise.all([
      this.cache.getOrLoad(`clusters:gpus:${JSON.stringify(tenantFilter)}`, 'summary', () =>
        this.gpuSource.gpuSamples(tenantFilter),
      ),
      this.cache.getOrLoad(`clusters:nodes:${JSON.stringify(filter)}`, 'summary', () =>
        this.powerSource.kubeNodes(filter),
      ),
    ]);
    const failed = new Set([...gpus.failures, ...nodes.failures].map((f) => f.cluster));
    const value = health.map((h): Cluster => {
      const own = <T extends { cluster: string }>(items: readonly T[]): T[] =>
        items.filter((i) => i.cluster === h.cluster);
      const known = !failed.has(h.cluster);
      return {
        name: h.cluster,
        labels: labelList(this.registry.labels(h.cluster)),
        status: STATE[h.status],
        circuit: CircuitState[h.circuit ?? 'CLOSED'],
        latencyMs: h.latencyMs,
        lastSuccessAt: h.lastSuccessAt,
        error: h.error,
        gpuCount: known ? physicalGpuCount(own(gpus.items)) : undefined,
        npuCount: known ? countResources(own(nodes.items), 'npu') : undefined,
        nodeCount: known ? own(nodes.items).length : undefined,
      };
    });
    return {
      value: value.sort((a, b) => a.name.localeCompare(b.name)),
      failures: [...gpus.failures, ...nodes.failures],
    };
  }

  async get(name: string, scope: TenantScope): Promise<WithFailures<Cluster>> {
    this.assertVisible(name, scope);
    const { value, failures } = await this.list({ ...scope, clusters: [name] });
    const [cluster] = value;
    if (!cluster) throw notFound('cluster', name);
    return { value: cluster, failures };
  }

  async summary(name: string, scope: TenantScope, powerWatts: number): Promise<WithFailures<ClusterSummary>> {
    this.assertVisible(name, scope);
    const filter = { clusters: [name] };
    const tenantFilter = withNamespaces(filter, scope);
    const [gpus, nodes, pods] = await Promise.all([
      this.cache.getOrLoad(`clusters:gpus:${JSON.stringify(tenantFilter)}`, 'summary', () =>
        this.gpuSource.gpuSamples(tenantFilter),
      ),
      this.cache.getOrLoad(`clusters:nodes:${JSON.stringify(filter)}`, 'summary', () =>
        this.powerSource.kubeNodes(filter),
      ),
      this.cache.getOrLoad(`clusters:pods:${JSON.stringify(tenantFilter)}`, 'summary', () =>
        this.powerSource.podPower(tenantFilter),
      ),
    ]);
    return {
      value: {
        nodeCount: nodes.items.length,
        gpuCount: physicalGpuCount(gpus.items),
        gpuAllocatable: countResources(nodes.items, 'gpuAllocatable'),
        npuCount: countResources(nodes.items, 'npu'),
        podCount: pods.items.filter((p) => inScope(scope, p.cluster, p.namespace)).length,
        powerWatts,
      },
      failures: [...gpus.failures, ...nodes.failures, ...pods.failures],
    };
  }

  async topology(name: string, scope: TenantScope): Promise<WithFailures<ClusterTopology>> {
    this.assertVisible(name, scope);
    const filter = { clusters: [name] };
    const tenantFilter = withNamespaces(filter, scope);
    const [nodes, gpus, npus, pods] = await Promise.all([
      this.cache.getOrLoad(`clusters:nodes:${JSON.stringify(filter)}`, 'summary', () =>
        this.powerSource.kubeNodes(filter),
      ),
      this.cache.getOrLoad(`clusters:topology-gpus:${JSON.stringify(tenantFilter)}`, 'realtime', () =>
        this.gpuSource.gpuSamples(tenantFilter),
      ),
      this.cache.getOrLoad(`clusters:topology-npus:${JSON.stringify(tenantFilter)}`, 'realtime', () =>
        this.npuSource.npuSamples(tenantFilter),
      ),
      this.cache.getOrLoad(`clusters:pods:${JSON.stringify(tenantFilter)}`, 'summary', () =>
        this.powerSource.podPower(tenantFilter),
      ),
    ]);
    // A namespace-scoped caller sees the nodes, and only the devices and pods of its own namespaces: another
    // tenant's GPU UUID is tenant data too.
    const visible = <T extends { cluster: string; namespace?: string }>(items: readonly T[]): T[] =>
      scope.namespaces?.length ? items.filter((i) => inScope(scope, i.cluster, i.namespace)) : [...items];
    return {
      value: buildTopology(
        name,
        nodes.items,
        visible(gpus.items),
        visible(npus.items),
        pods.items.filter((p) => inScope(scope, p.cluster, p.namespace)),
      ),
      failures: [...nodes.failures, ...gpus.failures, ...npus.failures, ...pods.failures],
    };
  }

  /**
   * Adds a cluster at run time, validated like PROMETHEUS_CLUSTERS; effective for the next query, stored for the
   * other replicas and restarts (ClusterStateStore).
   */
  async register(config: ClusterRegistration, actor = 'unknown'): Promise<Cluster> {
    this.assertRegistryServes();
    const info = await this.stored.register(config, actor);
    await this.cache.invalidate();
    const checked = await this.registry.check(info.name);
    this.logger.log(`cluster '${info.name}' registered (${checked.status})`);
    return {
      name: checked.name,
      labels: labelList(checked.labels),
      status: STATE[checked.status],
      circuit: CircuitState[checked.circuit],
      latencyMs: checked.latencyMs,
      lastSuccessAt: checked.lastSuccessAt,
      error: checked.lastError,
    };
  }

  async remove(name: string, actor = 'unknown'): Promise<boolean> {
    this.assertRegistryServes();
    await this.stored.remove(name, actor);
    await this.cache.invalidate();
    return true;
  }

  private assertVisible(name: string, scope: TenantScope): void {
    if (
      !this.statusSource.clusterNames().includes(name) ||
      (scope.clusters?.length && !scope.clusters.includes(name))
    )
      throw notFound('cluster', name);
  }

  private assertRegistryServes(): void {
    if (this.statusSource.kind !== 'prometheus')
      throw new DomainError(
        ErrorCode.NOT_SUPPORTED,
        'clusters cannot be added or removed while the simulated fleet is served (no Prometheus configured)',
      );
  }
}

/** Adds the key's namespaces to a source filter, so tenant series are selected by namespace at the source. */
function withNamespaces<F extends { clusters: readonly string[] }>(
  filter: F,
  scope: TenantScope,
): F & { namespaces?: readonly string[] } {
  return scope.namespaces?.length ? { ...filter, namespaces: scope.namespaces } : filter;
}
