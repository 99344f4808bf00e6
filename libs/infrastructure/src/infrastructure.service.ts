import { Inject, Injectable } from '@nestjs/common';
import { CacheService } from '@kcloud/cache';
import {
  badInput,
  type ClusterFailure,
  inScope,
  narrow,
  notFound,
  type PartialResult,
  SnapshotMemo,
  type TenantScope,
  type TtlClass,
} from '@kcloud/common';
import {
  type ContainerPowerSample,
  type DeviceFilter,
  GPU_SNAPSHOT_SOURCE,
  type GpuSample,
  type GpuSnapshotSource,
  type InfraFilter,
  matchesNothing,
  type PodPowerSample,
  POWER_SOURCE,
  type PowerSource,
  selectClusters,
} from '@kcloud/metrics-source';
import { compareWorkloads, joinNodes } from './infra-view';
import type { Node } from './models/node.model';

/** The clusters a filter's cluster labels selected (ClusterLabelResolution); absent when it names no labels. */
interface LabelledClusters {
  readonly labelledClusters?: readonly string[];
}

export interface NodeQuery extends LabelledClusters {
  readonly cluster?: string;
  readonly name?: string;
}

export interface PodQuery extends LabelledClusters {
  readonly cluster?: string;
  readonly namespace?: string;
  readonly node?: string;
  readonly name?: string;
}

export interface NodeKey {
  readonly cluster: string;
  readonly node: string;
}

export interface PodKey {
  readonly cluster: string;
  readonly namespace: string;
  readonly pod: string;
}

const one = (v: string | undefined): readonly string[] | undefined => (v === undefined ? undefined : [v]);
const distinct = (values: readonly string[]): string[] => [...new Set(values)].sort();

/**
 * Nodes, pods and containers: the caller's filter ∩ scope is pushed to the source, answers cached per distinct filter.
 * Nodes are infrastructure and follow the cluster scope; pods, containers and GPUs also follow the namespace scope
 * (a namespace-scoped key never sees another tenant's workloads or unallocated GPUs).
 */
@Injectable()
export class InfrastructureService {
  /** Joined, filtered and sorted once per snapshot read (and scope), not per request. */
  private readonly joined = new SnapshotMemo<readonly Node[]>();
  private readonly podRows = new SnapshotMemo<readonly PodPowerSample[]>();
  private readonly containerRows = new SnapshotMemo<readonly ContainerPowerSample[]>();

  constructor(
    @Inject(GPU_SNAPSHOT_SOURCE) private readonly gpuSource: GpuSnapshotSource,
    @Inject(POWER_SOURCE) private readonly powerSource: PowerSource,
    private readonly cache: CacheService,
  ) {}

  async nodes(query: NodeQuery, scope: TenantScope): Promise<PartialResult<Node>> {
    const filter = compact({
      clusters: selectClusters(query.cluster, query.labelledClusters, scope.clusters),
      nodes: one(query.name),
    });
    if (matchesNothing(filter)) return { items: [], failures: [] };
    const [kube, power] = await Promise.all([
      this.cached('infra:kube-nodes', filter, 'realtime', () => this.powerSource.kubeNodes(filter)),
      // A node's power sums every tenant on it: a namespace-scoped key gets nodes without power figures.
      scope.namespaces?.length
        ? Promise.resolve(NO_POWER)
        : this.cached('infra:node-power', filter, 'realtime', () => this.powerSource.nodePower(filter)),
    ]);
    return {
      items: this.joined.get([kube, power], '', () => joinNodes(kube.items, power.items)),
      failures: mergeFailures(kube.failures, power.failures),
    };
  }

  /** One node by name; `cluster` is required only when the name exists in several clusters. */
  async node(
    name: string,
    cluster: string | undefined,
    scope: TenantScope,
  ): Promise<{ node: Node | null; failures: readonly ClusterFailure[] }> {
    const { items, failures } = await this.nodes({ cluster, name }, scope);
    if (items.length > 1)
      throw badInput(
        'cluster',
        `node '${name}' exists in clusters ${items.map((n) => n.cluster).join(', ')}; name one`,
      );
    if (!items.length && !failures.length) throw notFound('node', name);
    return { node: items[0] ?? null, failures };
  }

  async pods(query: PodQuery, scope: TenantScope): Promise<PartialResult<PodPowerSample>> {
    return this.workloads('infra:pods', query, scope, this.podRows, compareWorkloads, (filter) =>
      this.powerSource.podPower(filter),
    );
  }

  async containers(query: PodQuery, scope: TenantScope): Promise<PartialResult<ContainerPowerSample>> {
    return this.workloads(
      'infra:containers',
      query,
      scope,
      this.containerRows,
      (a, b) => compareWorkloads(a, b) || a.container.localeCompare(b.container),
      (filter) => this.powerSource.containerPower(filter),
    );
  }

  /** The GPUs of many nodes in one source call (Node.gpus batches through this). */
  async gpusOfNodes(keys: readonly NodeKey[], scope: TenantScope): Promise<PartialResult<GpuSample>> {
    const filter: DeviceFilter = compact({
      clusters: narrow(distinct(keys.map((k) => k.cluster)), scope.clusters),
      nodes: distinct(keys.map((k) => k.node)),
      namespaces: scope.namespaces?.length ? scope.namespaces : undefined,
    });
    return this.scopedGpus(filter, scope);
  }

  /** The GPUs held by many pods in one source call (Pod.gpus). */
  async gpusOfPods(keys: readonly PodKey[], scope: TenantScope): Promise<PartialResult<GpuSample>> {
    const filter: DeviceFilter = compact({
      clusters: narrow(distinct(keys.map((k) => k.cluster)), scope.clusters),
      namespaces: narrow(distinct(keys.map((k) => k.namespace)), scope.namespaces),
      pods: distinct(keys.map((k) => k.pod)),
    });
    return this.scopedGpus(filter, scope);
  }

  /** The pods of many nodes in one source call (Node.pods). */
  async podsOfNodes(keys: readonly NodeKey[], scope: TenantScope): Promise<PartialResult<PodPowerSample>> {
    const filter: InfraFilter = compact({
      clusters: narrow(distinct(keys.map((k) => k.cluster)), scope.clusters),
      nodes: distinct(keys.map((k) => k.node)),
      namespaces: scope.namespaces?.length ? scope.namespaces : undefined,
    });
    const result = await this.cached('infra:pods', filter, 'realtime', () =>
      this.powerSource.podPower(filter),
    );
    return {
      items: result.items.filter((p) => inScope(scope, p.cluster, p.namespace)),
      failures: result.failures,
    };
  }

  private async scopedGpus(filter: DeviceFilter, scope: TenantScope): Promise<PartialResult<GpuSample>> {
    const result = await this.cached('infra:gpus', filter, 'realtime', () =>
      this.gpuSource.gpuSamples(filter),
    );
    return {
      items: result.items.filter((g) => !scope.namespaces?.length || inScope(scope, g.cluster, g.namespace)),
      failures: result.failures,
    };
  }

  /** Pods or containers: the filter ∩ scope read once per distinct filter, its rows in scope and in order once per snapshot and scope. */
  private async workloads<T extends { cluster: string; namespace: string; pod: string }>(
    prefix: string,
    query: PodQuery,
    scope: TenantScope,
    rows: SnapshotMemo<readonly T[]>,
    compare: (a: T, b: T) => number,
    read: (filter: InfraFilter) => Promise<PartialResult<T>>,
  ): Promise<PartialResult<T>> {
    const filter = this.workloadFilter(query, scope);
    if (matchesNothing(filter)) return { items: [], failures: [] };
    const result = await this.cached(prefix, filter, 'realtime', () => read(filter));
    const items = rows.get([result], scopeKey(scope), () =>
      result.items.filter((w) => inScope(scope, w.cluster, w.namespace)).sort(compare),
    );
    return { items, failures: result.failures };
  }

  private workloadFilter(q: PodQuery, scope: TenantScope): InfraFilter {
    return compact({
      clusters: selectClusters(q.cluster, q.labelledClusters, scope.clusters),
      namespaces: narrow(one(q.namespace), scope.namespaces),
      nodes: one(q.node),
      pods: one(q.name),
    });
  }

  private cached<T>(
    prefix: string,
    filter: DeviceFilter | InfraFilter,
    ttl: TtlClass,
    load: () => Promise<PartialResult<T>>,
  ): Promise<PartialResult<T>> {
    if (matchesNothing(filter)) return Promise.resolve({ items: [], failures: [] });
    return this.cache.getOrLoad(`${prefix}:${JSON.stringify(filter)}`, ttl, load);
  }
}

/** A namespace-scoped caller's node power: one object, so its joined nodes are memoised like everyone's. */
const NO_POWER: PartialResult<never> = Object.freeze({
  items: Object.freeze([]) as readonly never[],
  failures: Object.freeze([]) as readonly ClusterFailure[],
});

const scopeKey = (scope: TenantScope): string =>
  JSON.stringify([scope.clusters ?? null, scope.namespaces ?? null]);

function compact<T extends object>(filter: T): T {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as T;
}

/** One failure per cluster, even when two source calls hit the same dead cluster. */
export function mergeFailures(...lists: readonly (readonly ClusterFailure[])[]): ClusterFailure[] {
  const seen = new Map<string, ClusterFailure>();
  for (const f of lists.flat()) if (!seen.has(f.cluster)) seen.set(f.cluster, f);
  return [...seen.values()];
}
