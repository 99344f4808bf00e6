import type { PartialResult } from '@kcloud/common';
import type { InfraFilter } from '../shared/infra-filter';

/** The facility (building) power meter: a configured PromQL expression, or the simulator's meter. */
export const FACILITY_SOURCE = Symbol('FACILITY_SOURCE');

/** The facility (building) power of a cluster's site: the PUE numerator. */
export interface FacilityPowerSample {
  readonly cluster: string;
  readonly watts: number;
  readonly observedAt: Date;
}

/** Where facility power comes from: a configured PromQL expression, or the simulator's meter. */
export interface FacilitySourceInfo {
  readonly kind: 'query' | 'meter';
  readonly description: string;
}

export interface FacilitySource {
  /** Undefined when no facility power source is configured (PUE then has no value). */
  facilitySource(): FacilitySourceInfo | undefined;
  facilityPower(filter: InfraFilter): Promise<PartialResult<FacilityPowerSample>>;
}
