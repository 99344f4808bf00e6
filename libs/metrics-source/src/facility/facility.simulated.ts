import type { PartialResult } from '@kcloud/common';
import { fleetPower, type FleetModel } from '@kcloud/fleet-model';
import type { InfraFilter } from '../shared/infra-filter';
import { simulatedClusters } from '../shared/simulated-infra';
import type { FacilityPowerSample, FacilitySource, FacilitySourceInfo } from './facility.port';

/** The simulated site meter (`facility_power_watts`): the fleet's power times the scenario's PUE. */
export class SimulatedFacility implements FacilitySource {
  constructor(
    private readonly model: FleetModel,
    private readonly now: () => number = Date.now,
  ) {}

  facilitySource(): FacilitySourceInfo {
    return {
      kind: 'meter',
      description: `simulated facility meter (facility_power_watts, PUE ${fleetPower(this.model).facilityPue})`,
    };
  }

  async facilityPower(filter: InfraFilter): Promise<PartialResult<FacilityPowerSample>> {
    const at = this.now();
    const power = fleetPower(this.model);
    const items = simulatedClusters(this.model, filter).map((cluster) => ({
      cluster,
      watts: power.facilityPowerWattsAt(cluster, at),
      observedAt: new Date(at),
    }));
    return { items, failures: [] };
  }
}
