import { Inject, Injectable } from '@nestjs/common';
import { CacheService } from '@kcloud/cache';
import {
  type ClusterFailure,
  DomainError,
  ErrorCode,
  narrow,
  notFound,
  type TenantScope,
  UNRESTRICTED,
} from '@kcloud/common';
import { POWER_SOURCE, type PowerSource, SOURCE_STATUS, type SourceStatus } from '@kcloud/metrics-source';
import { breakdownFromNodes, breakdownFromPods, type PowerBreakdown } from './breakdown';
import { cacheKey, powerFilter, type PowerQuery } from './power-filter';

export interface PowerNow {
  readonly breakdown: PowerBreakdown;
  readonly observedAt: Date;
  readonly failures: readonly ClusterFailure[];
}

const EMPTY: PowerBreakdown = {
  totalWatts: 0,
  byCluster: [],
  byNode: [],
  byNamespace: [],
  byResourceType: [],
  nodeCount: 0,
  namespacesOnly: false,
};

/** Unified power now: per call and cluster one node-power and one pod-power request (both cached, realtime class). */
@Injectable()
export class PowerService {
  constructor(
    @Inject(SOURCE_STATUS) private readonly statusSource: SourceStatus,
    @Inject(POWER_SOURCE) private readonly powerSource: PowerSource,
    private readonly cache: CacheService,
  ) {}

  /**
   * `fresh` skips the cache: a live stream computes once per tick for all its subscribers already, and must not
   * repeat a cached value for a whole TTL when its interval is shorter.
   */
  async power(query: PowerQuery, scope: TenantScope, fresh = false): Promise<PowerNow> {
    const { filter, tenantOnly, empty } = powerFilter(query, scope);
    const observedAt = new Date();
    if (empty) return { breakdown: { ...EMPTY, namespacesOnly: tenantOnly }, observedAt, failures: [] };
    const read = <T>(key: string, load: () => Promise<T>): Promise<T> =>
      fresh ? load() : this.cache.getOrLoad(cacheKey(key, filter), 'realtime', load);
    const pods = await read('power:pods', () => this.powerSource.podPower(filter));
    if (tenantOnly) return { breakdown: breakdownFromPods(pods.items), observedAt, failures: pods.failures };
    const nodes = await read('power:nodes', () => this.powerSource.nodePower(filter));
    return {
      breakdown: breakdownFromNodes(nodes.items, pods.items),
      observedAt,
      failures: [...nodes.failures, ...pods.failures],
    };
  }

  /**
   * Streams and PUE name one cluster; an unknown name is the caller's mistake, not an empty fleet. A known cluster
   * outside the key's scope answers exactly the same (NOT_FOUND, same message), so scope cannot be probed.
   */
  assertKnownCluster(cluster: string | undefined, scope: TenantScope = UNRESTRICTED): void {
    if (cluster === undefined) return;
    if (
      !this.statusSource.clusterNames().includes(cluster) ||
      narrow([cluster], scope.clusters)?.length === 0
    )
      throw notFound('cluster', cluster);
  }

  /** Cluster-level facts (IT power, PUE) are not a tenant's to see. */
  static assertWholeClusterView(scope: TenantScope, what: string): void {
    if (scope.namespaces?.length)
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        `${what} is cluster-wide; a namespace-scoped key cannot read it`,
      );
  }
}
