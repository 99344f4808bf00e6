import { Inject, Injectable } from '@nestjs/common';
import { CacheService } from '@kcloud/cache';
import { type ClusterFailure, DomainError, ErrorCode, notFound, type TenantScope } from '@kcloud/common';
import { METRIC_SOURCE, type MetricSource } from '@kcloud/metrics-source';
import { breakdownFromNodes, breakdownFromPods, type PowerBreakdown } from './breakdown';
import { cacheKey, powerFilter, type PowerQuery } from './power-filter';

export interface PowerNow {
  readonly breakdown: PowerBreakdown;
  readonly observedAt: Date;
  readonly failures: readonly ClusterFailure[];
}

const EMPTY: PowerBreakdown = { totalWatts: 0, byCluster: [], byNode: [], byNamespace: [], byResourceType: [], nodeCount: 0, namespacesOnly: false };

/** Unified power now: per call and cluster one node-power and one pod-power request (both cached, realtime class). */
@Injectable()
export class PowerService {
  constructor(
    @Inject(METRIC_SOURCE) private readonly source: MetricSource,
    private readonly cache: CacheService,
  ) {}

  async power(query: PowerQuery, scope: TenantScope): Promise<PowerNow> {
    const { filter, tenantOnly, empty } = powerFilter(query, scope);
    const observedAt = new Date();
    if (empty) return { breakdown: { ...EMPTY, namespacesOnly: tenantOnly }, observedAt, failures: [] };
    const pods = await this.cache.getOrLoad(cacheKey('power:pods', filter), 'realtime', () => this.source.podPower(filter));
    if (tenantOnly) return { breakdown: breakdownFromPods(pods.items), observedAt, failures: pods.failures };
    const nodes = await this.cache.getOrLoad(cacheKey('power:nodes', filter), 'realtime', () => this.source.nodePower(filter));
    return { breakdown: breakdownFromNodes(nodes.items, pods.items), observedAt, failures: [...nodes.failures, ...pods.failures] };
  }

  /** Streams and PUE name one cluster; an unknown name is the caller's mistake, not an empty fleet. */
  assertKnownCluster(cluster: string | undefined): void {
    if (cluster !== undefined && !this.source.clusterNames().includes(cluster)) throw notFound('cluster', cluster);
  }

  /** Cluster-level facts (IT power, PUE) are not a tenant's to see. */
  static assertWholeClusterView(scope: TenantScope, what: string): void {
    if (scope.namespaces?.length) throw new DomainError(ErrorCode.FORBIDDEN, `${what} is cluster-wide; a namespace-scoped key cannot read it`);
  }
}
