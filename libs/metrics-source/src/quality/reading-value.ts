import { DCGM_READING_SPECS } from '../gpu-snapshot/dcgm-reading-specs';
import { type InvalidReading, InvalidReadingReason } from './reading-quality';

/**
 * The one judge of a raw exporter value: a number the graph may serve, or the reason it is served as null. Every
 * reader (instant, window, range; dcgm-exporter, nvidia_gpu_exporter, all-smi, NPU exporters, ipmi_exporter, Kepler)
 * and the simulated adapter go through it, so a blank reads the same everywhere.
 *
 * DCGM's blanks (dcgm_structs.h, DCGM_BLANK_VALUES): `DCGM_INT32_BLANK 0x7ffffff0` and `DCGM_INT64_BLANK
 * 0x7ffffffffffffff0`, with NOT_FOUND / NOT_SUPPORTED / NOT_PERMISSIONED at +1, +2, +3, and `DCGM_INT32_IS_BLANK(v)` =
 * `v >= DCGM_INT32_BLANK` (likewise INT64); `DCGM_FP64_BLANK 140737488355328.0` (2^47) with `DCGM_FP64_IS_BLANK(v)` =
 * `v >= DCGM_FP64_BLANK`. dcgm-exporter normally skips them, but a value that reaches Prometheus through another path
 * (an older exporter, a relay, a field read with the wrong type) arrives as one of these numbers; NVML's "not
 * available" is 0xFFFFFFFF (4294967295).
 */

/** The DCGM field type a reading travels as: it decides which blank ranges apply. */
export type ReadingKind = 'int32' | 'int64' | 'fp64';

export interface ReadingSpec {
  readonly kind: ReadingKind;
  readonly unit: string;
  /** Physically possible range, in the sample's unit (after conversion). */
  readonly min: number;
  readonly max: number;
}

export const DCGM_INT32_BLANK = 0x7ffffff0;
const INT32_MAX = 0x7fffffff;
/** 0x7ffffffffffffff0 rounds to 2^63 in float64 (Prometheus prints 9223372036854775807 / 9.223372036854776e+18). */
export const DCGM_INT64_BLANK_FLOAT = 2 ** 63;
export const DCGM_FP64_BLANK = 140737488355328;
/** NVML_VALUE_NOT_AVAILABLE as an unsigned int. */
export const UINT32_NOT_AVAILABLE = 4294967295;

/** Relative tolerance at the range's ends. */
const RANGE_SLACK = 1e-9;
/** No accelerator holds 1 TiB of device memory (B200: 180 GiB, MI355X: 288 GiB). */
const MAX_DEVICE_MIB = 1024 * 1024;
/** A board or a node; a whole rack's worth is already impossible. */
const MAX_NODE_WATTS = 100_000;
const MAX_DEVICE_WATTS = 10_000;

const temperature: ReadingSpec = { kind: 'int32', unit: '°C', min: -50, max: 200 };
const percent: ReadingSpec = { kind: 'int32', unit: '%', min: 0, max: 100 };
const mib: ReadingSpec = { kind: 'int32', unit: 'MiB', min: 0, max: MAX_DEVICE_MIB };
const deviceWatts: ReadingSpec = { kind: 'fp64', unit: 'W', min: 0, max: MAX_DEVICE_WATTS };
const nodeWatts: ReadingSpec = { kind: 'fp64', unit: 'W', min: 0, max: MAX_NODE_WATTS };
const joules: ReadingSpec = { kind: 'int64', unit: 'J', min: 0, max: Number.MAX_VALUE };

/**
 * Every numeric reading the graph serves, by the sample field that carries it (the name `InvalidReading.field`
 * reports). IPMI sensors are keyed `ipmi.<type>`; their field on the sample is `value`.
 */
export const READING_SPECS = {
  // GPU (dcgm-exporter, nvidia_gpu_exporter, all-smi) and NPU samples.
  temperatureCelsius: temperature,
  ambientTemperatureCelsius: temperature,
  utilizationPercent: percent,
  memoryCopyUtilizationPercent: percent,
  memoryUsedMiB: mib,
  memoryFreeMiB: mib,
  memoryReservedMiB: mib,
  memoryTotalMiB: mib,
  powerWatts: deviceWatts,
  powerLimitWatts: deviceWatts,
  smClockMHz: { kind: 'int32', unit: 'MHz', min: 0, max: 10_000 },
  energyJoules: joules,
  ...DCGM_READING_SPECS,
  // Node, pod and container power (Kepler, DCMI, summed boards).
  cpuPackageWatts: nodeWatts,
  cpuCoreWatts: nodeWatts,
  dramWatts: nodeWatts,
  gpuWatts: nodeWatts,
  npuWatts: nodeWatts,
  otherWatts: nodeWatts,
  platformWatts: nodeWatts,
  serverInputWatts: nodeWatts,
  cpuWatts: nodeWatts,
  cpuUtilizationPercent: percent,
  // ipmi_exporter sensors, by sensor type.
  'ipmi.power': nodeWatts,
  'ipmi.temperature': temperature,
  'ipmi.fan': { kind: 'fp64', unit: 'RPM', min: 0, max: 100_000 },
  'ipmi.voltage': { kind: 'fp64', unit: 'V', min: -1_000, max: 1_000 },
  'ipmi.current': { kind: 'fp64', unit: 'A', min: -10_000, max: 10_000 },
} as const satisfies Readonly<Record<string, ReadingSpec>>;

export type ReadingField = keyof typeof READING_SPECS;

export type ReadingVerdict =
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly reason: InvalidReadingReason };

/** Whether a raw value is one of the blank / not-available sentinels a field of this kind can carry. */
export function isBlankSentinel(raw: number, kind: ReadingKind): boolean {
  if (raw >= DCGM_INT64_BLANK_FLOAT) return true;
  // A 64-bit counter legitimately passes 2^31 and 2^47 (energy in mJ passes 2^31 within an hour at 700 W).
  if (kind === 'int64') return false;
  if (raw >= DCGM_FP64_BLANK) return true;
  return raw === UINT32_NOT_AVAILABLE || (raw >= DCGM_INT32_BLANK && raw <= INT32_MAX);
}

/**
 * Judges a raw exporter value for a field: sentinels on the raw value (before unit conversion, where DCGM's
 * constants live), the physical range on the converted one.
 */
export function classifyReading(
  field: ReadingField,
  raw: number,
  toUnit: (raw: number) => number = (v) => v,
): ReadingVerdict {
  if (!Number.isFinite(raw)) return { ok: false, reason: InvalidReadingReason.NOT_A_NUMBER };
  const spec: ReadingSpec = READING_SPECS[field];
  if (isBlankSentinel(raw, spec.kind)) return { ok: false, reason: InvalidReadingReason.DCGM_BLANK };
  const value = toUnit(raw);
  if (!Number.isFinite(value)) return { ok: false, reason: InvalidReadingReason.NOT_A_NUMBER };
  // Float noise of unit conversions (0.85 * 100, a mean of percents) is not a physical impossibility.
  const slack = (end: number) => RANGE_SLACK * Math.max(1, Math.abs(end));
  if (value < spec.min - slack(spec.min) || value > spec.max + slack(spec.max))
    return { ok: false, reason: InvalidReadingReason.OUT_OF_RANGE };
  return { ok: true, value };
}

/** Memory used above the device's capacity is not a reading (both in MiB, both already judged on their own). */
export function exceedsCapacity(usedMiB: number | undefined, capacityMiB: number | undefined): boolean {
  return usedMiB !== undefined && capacityMiB !== undefined && capacityMiB > 0 && usedMiB > capacityMiB;
}

/**
 * Collects the verdicts of one sample's fields: `read` answers the value to keep (or undefined) and remembers every
 * refusal, `invalidReadings` is what the sample carries (undefined when nothing was refused, so clean samples keep
 * their shape).
 */
export class ReadingJudge {
  private readonly refused: InvalidReading[] = [];

  read(field: ReadingField, raw: number | undefined, toUnit?: (raw: number) => number): number | undefined {
    if (raw === undefined) return undefined;
    const verdict = classifyReading(field, raw, toUnit);
    if (verdict.ok) return verdict.value;
    this.refuse(field, verdict.reason);
    return undefined;
  }

  /** Records a refusal decided elsewhere (capacity, a refused input of a derived field). */
  refuse(field: string, reason: InvalidReadingReason): void {
    if (!this.refused.some((r) => r.field === field)) this.refused.push({ field, reason });
  }

  /** Drops `used` (and records it) when it exceeds `capacity`. */
  capped(field: string, used: number | undefined, capacity: number | undefined): number | undefined {
    if (!exceedsCapacity(used, capacity)) return used;
    this.refuse(field, InvalidReadingReason.ABOVE_CAPACITY);
    return undefined;
  }

  get invalidReadings(): readonly InvalidReading[] | undefined {
    return this.refused.length ? [...this.refused] : undefined;
  }
}

/** Merges two refusal lists (a sample judged in several passes); undefined when both are empty. */
export function mergeInvalid(
  a: readonly InvalidReading[] | undefined,
  b: readonly InvalidReading[] | undefined,
): readonly InvalidReading[] | undefined {
  if (!a?.length) return b?.length ? b : undefined;
  if (!b?.length) return a;
  return [...a, ...b.filter((r) => !a.some((x) => x.field === r.field))];
}
