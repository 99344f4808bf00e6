import type { AppConfig, PartialResult } from '@kcloud/common';
import { aggregate, type ClusterRegistry, type PromQL } from '@kcloud/prometheus';
import { matchesNothing } from '../shared/device-filter';
import type { InfraFilter } from '../shared/infra-filter';
import type { FacilityPowerSample, FacilitySource, FacilitySourceInfo } from './facility.port';

/**
 * The operator's facility expression, summed. The text comes from configuration (PUE_FACILITY_QUERY), which is
 * trusted like the Prometheus URL itself; it never contains user input, so it is not built from parts here.
 */
export function facilityQuery(trustedExpression: string): PromQL {
  return aggregate('sum', [], `(${trustedExpression})` as PromQL);
}

/** Facility power from the configured PUE_FACILITY_QUERY, read on every selected cluster. */
export class PrometheusFacility implements FacilitySource {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly config: AppConfig,
  ) {}

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
}
