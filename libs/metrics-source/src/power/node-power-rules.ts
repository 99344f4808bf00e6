import type { NodePowerSample } from './power.port';

/**
 * The rules every consumer of node power shares (pure): which reading is a node's whole power, and what the
 * unattributed rest is. The BMC's server input power (DCMI) is the best measure of what a server draws, Kepler's
 * platform reading (Redfish/ACPI) the next; the components alone miss fans, NICs, disks and PSU loss.
 */
export type WholeNodePowerSource = 'ipmi_dcmi' | 'kepler_platform' | 'kepler_components';

/** Server input power: DCMI, else Kepler's platform reading; undefined when neither is reported. */
export function serverInputOf(
  p: NodePowerSample,
): { readonly watts: number; readonly source: 'ipmi_dcmi' | 'kepler_platform' } | undefined {
  if (p.serverInputWatts !== undefined) return { watts: p.serverInputWatts, source: 'ipmi_dcmi' };
  if (p.platformWatts !== undefined) return { watts: p.platformWatts, source: 'kepler_platform' };
  return undefined;
}

const ATTRIBUTED = ['cpuPackageWatts', 'dramWatts', 'gpuWatts', 'npuWatts'] as const;

const refused = (p: NodePowerSample, fields: readonly string[]): boolean =>
  p.invalidReadings?.some((r) => fields.includes(r.field)) ?? false;

/**
 * CPU package + DRAM + GPUs + NPUs; undefined when no component is reported, or when one was refused by the
 * reading-quality classifier (a sum without it would be a wrong number, not a smaller one).
 */
export function attributedWattsOf(p: NodePowerSample): number | undefined {
  if (refused(p, ATTRIBUTED)) return undefined;
  const parts = [p.cpuPackageWatts, p.dramWatts, p.gpuWatts, p.npuWatts].filter(
    (v): v is number => v !== undefined,
  );
  return parts.length ? parts.reduce((a, b) => a + b, 0) : undefined;
}

/** Kepler ≤0.7's `other` component, else server input − attributed parts (not when `other` itself was refused). */
export function otherWattsOf(p: NodePowerSample): number | undefined {
  if (p.otherWatts !== undefined) return p.otherWatts;
  if (refused(p, ['otherWatts'])) return undefined;
  const input = serverInputOf(p);
  const parts = attributedWattsOf(p);
  return input === undefined || parts === undefined ? undefined : input.watts - parts;
}

/** The node's whole power and where it comes from; undefined when nothing is reported. */
export function wholeNodePowerOf(
  p: NodePowerSample,
): { readonly watts: number; readonly source: WholeNodePowerSource } | undefined {
  const input = serverInputOf(p);
  if (input) return input;
  const parts = attributedWattsOf(p);
  return parts === undefined || refused(p, ['otherWatts'])
    ? undefined
    : { watts: parts + (p.otherWatts ?? 0), source: 'kepler_components' };
}
