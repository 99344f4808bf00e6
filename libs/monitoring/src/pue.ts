import { attributedWattsOf, type NodePowerSample, serverInputOf } from '@kcloud/metrics-source';
import { ItPowerSource, PueMethod } from './models/pue.model';

/**
 * PUE = facility power / IT power (pure). IT power is the sum of the servers' input power (DCMI, else Kepler's
 * platform reading); facility power comes from a measured source or, as a labelled estimate, IT × a configured
 * factor. Without either the value is null with the reason: never a made-up constant. The unattributed server power
 * (input − CPU − DRAM − accelerators) is reported apart: it is not facility overhead.
 */
export interface PueInputs {
  readonly cluster: string;
  readonly nodes: readonly NodePowerSample[];
  /** Undefined: no measured source configured. */
  readonly facility?: { readonly configured: true; readonly description: string; readonly watts?: number };
  readonly overheadFactor?: number;
}

export interface PueResult {
  readonly cluster: string;
  readonly value: number | null;
  readonly itPowerWatts: number | null;
  readonly facilityPowerWatts: number | null;
  readonly unattributedWatts: number | null;
  readonly method: PueMethod;
  readonly itPowerSource: ItPowerSource;
  readonly facilitySource: string | null;
  readonly nodeCount: number;
  readonly reason: string | null;
}

export function computePue({ cluster, nodes, facility, overheadFactor }: PueInputs): PueResult {
  const inputs = nodes.map((n) => ({ n, input: serverInputOf(n) }));
  const missing = inputs.filter((x) => !x.input).length;
  const measured = inputs.flatMap((x) => (x.input ? [x] : []));
  const sources = new Set(measured.map((x) => x.input!.source));
  const itPowerSource =
    sources.size === 0
      ? ItPowerSource.NONE
      : sources.size > 1
        ? ItPowerSource.MIXED
        : sources.has('ipmi_dcmi')
          ? ItPowerSource.IPMI_DCMI
          : ItPowerSource.KEPLER_PLATFORM;
  const it = measured.length && !missing ? measured.reduce((s, x) => s + x.input!.watts, 0) : null;
  const unattributed =
    it === null ? null : measured.reduce((s, x) => s + x.input!.watts - (attributedWattsOf(x.n) ?? 0), 0);
  const base = {
    cluster,
    itPowerWatts: it,
    unattributedWatts: unattributed,
    itPowerSource,
    nodeCount: nodes.length,
  };
  const none = (
    method: PueMethod,
    reason: string,
    facilityPowerWatts: number | null = null,
    facilitySource: string | null = null,
  ): PueResult => ({
    ...base,
    value: null,
    facilityPowerWatts,
    method,
    facilitySource,
    reason,
  });

  if (!nodes.length) return none(PueMethod.NONE, `no node power is reported for cluster '${cluster}'`);
  if (it === null)
    return none(
      PueMethod.NONE,
      `${missing} of ${nodes.length} nodes report neither IPMI DCMI nor Kepler platform power, so IT power is incomplete`,
    );
  if (facility) {
    if (facility.watts === undefined)
      return none(
        PueMethod.MEASURED,
        `the facility source returned no data for cluster '${cluster}'`,
        null,
        facility.description,
      );
    if (it <= 0) return none(PueMethod.MEASURED, 'IT power is zero', facility.watts, facility.description);
    return {
      ...base,
      value: facility.watts / it,
      facilityPowerWatts: facility.watts,
      method: PueMethod.MEASURED,
      facilitySource: facility.description,
      reason: null,
    };
  }
  if (overheadFactor !== undefined) {
    return {
      ...base,
      value: overheadFactor,
      facilityPowerWatts: it * overheadFactor,
      method: PueMethod.OVERHEAD_FACTOR,
      facilitySource: `PUE_OVERHEAD_FACTOR=${overheadFactor}`,
      reason: 'estimated: no facility meter; facility power = IT power × PUE_OVERHEAD_FACTOR',
    };
  }
  return none(
    PueMethod.NONE,
    'no facility power source is configured: set PUE_FACILITY_QUERY (PromQL returning the site’s facility watts, e.g. a PDU, UPS or utility-meter exporter) or PUE_OVERHEAD_FACTOR',
  );
}
