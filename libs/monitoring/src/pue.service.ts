import { Inject, Injectable } from '@nestjs/common';
import { CacheService } from '@kcloud/cache';
import { AppConfig, type ClusterFailure, type TenantScope } from '@kcloud/common';
import { FACILITY_SOURCE, type FacilitySource, POWER_SOURCE, type PowerSource } from '@kcloud/metrics-source';
import { cacheKey } from './power-filter';
import { PowerService } from './power.service';
import { computePue, type PueResult } from './pue';

/** PUE of one cluster: one node-power and (when configured) one facility request. */
@Injectable()
export class PueService {
  constructor(
    private readonly power: PowerService,
    @Inject(POWER_SOURCE) private readonly powerSource: PowerSource,
    @Inject(FACILITY_SOURCE) private readonly facilitySource: FacilitySource,
    private readonly cache: CacheService,
    private readonly config: AppConfig,
  ) {}

  async pue(
    cluster: string,
    scope: TenantScope,
  ): Promise<{ pue: PueResult & { observedAt: Date }; failures: readonly ClusterFailure[] }> {
    PowerService.assertWholeClusterView(scope, 'PUE');
    this.power.assertKnownCluster(cluster, scope);
    const filter = { clusters: [cluster] };
    const facilitySource = this.facilitySource.facilitySource();
    const [nodes, facility] = await Promise.all([
      this.cache.getOrLoad(cacheKey('power:nodes', filter), 'realtime', () =>
        this.powerSource.nodePower(filter),
      ),
      facilitySource
        ? this.cache.getOrLoad(cacheKey('power:facility', filter), 'realtime', () =>
            this.facilitySource.facilityPower(filter),
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
