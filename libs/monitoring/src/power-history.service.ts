import { Inject, Injectable } from '@nestjs/common';
import { CacheService } from '@kcloud/cache';
import type { ClusterFailure, TenantScope } from '@kcloud/common';
import { POWER_SOURCE, type PowerSource } from '@kcloud/metrics-source';
import type { GroupWatts } from './breakdown';
import {
  type GroupSeries,
  groupNodeEnergy,
  groupNodeSeries,
  groupPodEnergy,
  groupPodSeries,
  type RangeRequest,
  validateRange,
  type ValidRange,
} from './history';
import { PowerGroupBy } from './models/power-group-by.enum';
import { cacheKey, powerFilter, type PowerQuery } from './power-filter';

/**
 * Power over time (one range request per cluster) and energy over a window (one instant request per cluster).
 * Namespace grouping, a namespace filter or a namespace scope read pods; everything else reads nodes.
 */
@Injectable()
export class PowerHistoryService {
  constructor(
    @Inject(POWER_SOURCE) private readonly source: PowerSource,
    private readonly cache: CacheService,
  ) {}

  async timeseries(
    range: RangeRequest,
    groupBy: PowerGroupBy,
    query: PowerQuery,
    scope: TenantScope,
  ): Promise<{ range: ValidRange; series: GroupSeries[]; failures: readonly ClusterFailure[] }> {
    const valid = validateRange(range, true);
    const { filter, tenantOnly, empty } = powerFilter(query, scope);
    if (empty) return { range: valid, series: [], failures: [] };
    const window = { from: valid.from, to: valid.to, stepSeconds: valid.stepSeconds };
    if (tenantOnly || groupBy === PowerGroupBy.NAMESPACE) {
      const pods = await this.cache.getOrLoad(cacheKey('power:pod-range', filter, window), 'timeseries', () =>
        this.source.podPowerRange(filter, window),
      );
      return { range: valid, series: groupPodSeries(pods.items, groupBy), failures: pods.failures };
    }
    const nodes = await this.cache.getOrLoad(cacheKey('power:node-range', filter, window), 'timeseries', () =>
      this.source.nodePowerRange(filter, window),
    );
    return { range: valid, series: groupNodeSeries(nodes.items, groupBy), failures: nodes.failures };
  }

  async energy(
    range: RangeRequest,
    groupBy: PowerGroupBy,
    query: PowerQuery,
    scope: TenantScope,
  ): Promise<{ range: ValidRange; groups: readonly GroupWatts[]; failures: readonly ClusterFailure[] }> {
    const valid = validateRange(range, false);
    const { filter, tenantOnly, empty } = powerFilter(query, scope);
    if (empty) return { range: valid, groups: [], failures: [] };
    if (tenantOnly || groupBy === PowerGroupBy.NAMESPACE) {
      const pods = await this.cache.getOrLoad(
        cacheKey('power:pod-energy', filter, valid.from, valid.to),
        'timeseries',
        () => this.source.podEnergy(filter, valid.from, valid.to),
      );
      return { range: valid, groups: groupPodEnergy(pods.items, groupBy), failures: pods.failures };
    }
    const nodes = await this.cache.getOrLoad(
      cacheKey('power:node-energy', filter, valid.from, valid.to),
      'timeseries',
      () => this.source.nodeEnergy(filter, valid.from, valid.to),
    );
    return { range: valid, groups: groupNodeEnergy(nodes.items, groupBy), failures: nodes.failures };
  }
}
