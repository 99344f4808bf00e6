import {
  IsOptional,
  Matches,
  Validate,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { KEPLER_VERSIONS, type KeplerVersion } from '../cluster-config';
import { IntEnv, NumberEnv, OneOfEnv, StringEnv } from './env-decorators';

/** A JSON object of string → string (IPMI_BMC_NODE_MAP). */
@ValidatorConstraint({ name: 'jsonStringMap' })
class JsonStringMap implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    try {
      const parsed: unknown = JSON.parse(value);
      return (
        typeof parsed === 'object' &&
        parsed !== null &&
        !Array.isArray(parsed) &&
        Object.values(parsed).every((v) => typeof v === 'string')
      );
    } catch {
      return false;
    }
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be a JSON object of strings, e.g. {"10.0.0.21": "gpu-node-1"}`;
  }
}

/** Power and infrastructure: Kepler, ipmi_exporter, PUE. */
export class PowerEnv {
  /** Kepler metric names for clusters that do not set `keplerVersion`. */
  @OneOfEnv(KEPLER_VERSIONS) KEPLER_VERSION: KeplerVersion = 'v0.10';

  /** rate() window for Kepler's joule counters; at least two scrape intervals, four is safer. */
  @IntEnv({ min: 2, max: 3600 }) POWER_RATE_WINDOW_SECONDS = 120;

  /** ipmi_exporter emits no node label: BMC address (the scrape's `instance`, port optional) → node name. */
  @IsOptional()
  @Validate(JsonStringMap)
  IPMI_BMC_NODE_MAP?: string;

  /**
   * Facility power for PUE: a PromQL expression evaluated on each cluster's Prometheus, returning watts (summed),
   * e.g. `sum(facility_power_watts)` or a PDU/UPS exporter's metric. Trusted admin configuration: it is sent as
   * written, never combined with user input.
   */
  @StringEnv({ optional: true })
  @Matches(/^[^\n]{1,2000}$/, { message: 'PUE_FACILITY_QUERY must be one line of at most 2000 characters' })
  PUE_FACILITY_QUERY?: string;

  /** Without a facility meter: facility power = IT power × this factor (a documented estimate, shown as such). */
  @NumberEnv({ min: 1, max: 5, optional: true }) PUE_OVERHEAD_FACTOR?: number;
}
