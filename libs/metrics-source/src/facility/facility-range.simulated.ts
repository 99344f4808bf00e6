import type { PartialResult } from '@kcloud/common';
import { fleetPower, type FleetModel } from '@kcloud/fleet-model';
import type { PowerRangeWindow } from '../power/power.port';
import type { InfraFilter } from '../shared/infra-filter';
import { simulatedClusters } from '../shared/simulated-infra';
import type { FacilityPowerSeries, FacilityRangeSource } from './facility-range.port';

/** The simulated site meter at every step of the window (the same ground truth as SimulatedFacility). */
export class SimulatedFacilityRange implements FacilityRangeSource {
  constructor(private readonly model: FleetModel) {}

  async facilityPowerRange(
    filter: InfraFilter,
    window: PowerRangeWindow,
  ): Promise<PartialResult<FacilityPowerSeries>> {
    const power = fleetPower(this.model);
    const from = window.from.getTime();
    const stepMs = window.stepSeconds * 1000;
    const times: number[] = [];
    for (let t = from; t <= window.to.getTime(); t += stepMs) times.push(t);
    const items = simulatedClusters(this.model, filter).map((cluster) => ({
      cluster,
      points: times.map((t) => ({ timestampMs: t, value: power.facilityPowerWattsAt(cluster, t) })),
    }));
    return { items, failures: [] };
  }
}
