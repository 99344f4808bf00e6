import type { AppConfig, PartialResult } from '@kcloud/common';
import type { ClusterRegistry } from '@kcloud/prometheus';
import type { PowerRangeWindow, TimedValue } from '../power/power.port';
import { matchesNothing } from '../shared/device-filter';
import type { InfraFilter } from '../shared/infra-filter';
import { facilityQuery } from './facility.prometheus';
import type { FacilityPowerSeries, FacilityRangeSource } from './facility-range.port';

/** The configured PUE_FACILITY_QUERY (summed, as the instant read) as a range query: one request per cluster. */
export class PrometheusFacilityRange implements FacilityRangeSource {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly config: AppConfig,
  ) {}

  async facilityPowerRange(
    filter: InfraFilter,
    window: PowerRangeWindow,
  ): Promise<PartialResult<FacilityPowerSeries>> {
    const expression = this.config.power.facilityQuery;
    if (!expression || matchesNothing(filter)) return { items: [], failures: [] };
    const { results, failures } = await this.registry.fanOut(filter.clusters, async (client, cluster) => {
      const series = await client.range(facilityQuery(expression), {
        start: window.from,
        end: window.to,
        stepSeconds: window.stepSeconds,
      });
      const points = finitePoints(series.flatMap((s) => s.points));
      return points.length ? [{ cluster: cluster.name, points }] : [];
    });
    return { items: results.flatMap((r) => r.value), failures };
  }
}

/** The query is a `sum`, so one series; NaN/±Inf (a meter's blank) are no reading, not a value. */
function finitePoints(points: readonly TimedValue[]): TimedValue[] {
  return points
    .filter((p) => Number.isFinite(p.value))
    .map((p) => ({ timestampMs: p.timestampMs, value: p.value }))
    .sort((a, b) => a.timestampMs - b.timestampMs);
}
