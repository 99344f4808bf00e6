import { Inject, Injectable } from '@nestjs/common';
import { CacheService } from '@kcloud/cache';
import { AppConfig, type ClusterFailure, narrow, notFound, type TenantScope } from '@kcloud/common';
import { METRIC_SOURCE, type MetricSource } from '@kcloud/metrics-source';
import { cacheKey } from './power-filter';
import { PowerService } from './power.service';
import { computePue, type PueResult } from './pue';

/** PUE of one cluster: one node-power and (when configured) one facility request. */
@Injectable()
export class PueService {
  constructor(
    @Inject(METRIC_SOURCE) private readonly source: MetricSource,
    private readonly cache: CacheService,
    private readonly config: AppConfig,
  ) {}

  async pue(
    cluster: string,
    scope: TenantScope,
  ): Promise<{ pue: PueResult & { observedAt: Date }; failures: readonly ClusterFailure[] }> {
    PowerService.assertWholeClusterView(scope, 'PUE');
    if (!this.source.clusterNames().includes(cluster) || narrow([cluster], scope.clusters)?.length === 0)
      throw notFound('cluster', cluster);
    const filter = { clusters: [cluster] };
    const facilitySource = this.source.facilitySource();
    const [nodes, facility] = await Promise.all([
      this.cache.getOrLoad(cacheKey('power:nodes', filter), 'realtime', () => this.source.nodePower(filter)),
      facilitySource
        ? this.cache.getOrLoad(cacheKey('power:facility', filter), 'realtime', () =>
            this.source.facilityPower(filter),
          )
        : Promise.resolve({ items: [], failures: [] }),
    ]);
    const pue = computePue({
      cluster,
      nodes: nodes.items,
      facility: facilitySource && {
        configured: true,
        description: facilitySource.description,
        watts: facility.items[0]?.watts,
      },
      overheadFactor: this.config.power.overheadFactor,
    });
    return { pue: { ...pue, observedAt: new Date() }, failures: [...nodes.failures, ...facility.failures] };
  }
}
