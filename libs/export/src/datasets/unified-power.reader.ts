import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@kcloud/common';
import {
  FACILITY_RANGE_SOURCE,
  FACILITY_SOURCE,
  type FacilityRangeSource,
  type FacilitySource,
  type InfraFilter,
  type NodePowerSeries,
  POWER_SOURCE,
  type PowerRangeWindow,
  type PowerSource,
} from '@kcloud/metrics-source';
import { failOnClusterErrors } from './dataset-support';
import { type UnifiedClusterStep, unifiedClusterSteps } from './unified-power';

export interface UnifiedPowerRange {
  readonly nodes: readonly NodePowerSeries[];
  readonly steps: readonly UnifiedClusterStep[];
}

/**
 * Node power and facility power over a range (one request each per cluster, in parallel), folded into the unified
 * view. The caller checks that the key may see node-wide data; a cluster failure fails the export.
 */
@Injectable()
export class UnifiedPowerReader {
  constructor(
    @Inject(POWER_SOURCE) private readonly power: PowerSource,
    @Inject(FACILITY_SOURCE) private readonly facility: FacilitySource,
    @Inject(FACILITY_RANGE_SOURCE) private readonly facilityRange: FacilityRangeSource,
    private readonly config: AppConfig,
  ) {}

  async read(filter: InfraFilter, window: PowerRangeWindow): Promise<UnifiedPowerRange> {
    const configured = this.facility.facilitySource();
    const [nodes, meter] = await Promise.all([
      this.power.nodePowerRange(filter, window),
      configured
        ? this.facilityRange.facilityPowerRange(filter, window)
        : Promise.resolve({ items: [], failures: [] }),
    ]);
    failOnClusterErrors([...nodes.failures, ...meter.failures]);
    const steps = unifiedClusterSteps(nodes.items, meter.items, {
      description: configured?.description,
      overheadFactor: this.config.power.overheadFactor,
    });
    return { nodes: nodes.items, steps };
  }
}
