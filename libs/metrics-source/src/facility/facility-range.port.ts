import type { PartialResult } from '@kcloud/common';
import type { PowerRangeWindow, TimedValue } from '../power/power.port';
import type { InfraFilter } from '../shared/infra-filter';

/**
 * Facility (building) power over time, per cluster: the PUE numerator for a range (report charts, `power` export
 * with `source=unified`). Same source as FacilitySource (PUE_FACILITY_QUERY, or the simulator's meter); which one is
 * configured, and its description, stay with FacilitySource.facilitySource().
 */
export const FACILITY_RANGE_SOURCE = Symbol('FACILITY_RANGE_SOURCE');

export interface FacilityPowerSeries {
  readonly cluster: string;
  /** Watts per step; a step with no finite reading has no point. */
  readonly points: readonly TimedValue[];
}

export interface FacilityRangeSource {
  /** No series (and no request) when no facility source is configured. */
  facilityPowerRange(
    filter: InfraFilter,
    window: PowerRangeWindow,
  ): Promise<PartialResult<FacilityPowerSeries>>;
}
