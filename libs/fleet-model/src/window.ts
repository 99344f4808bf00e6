import type { FleetModel } from './fleet-model';
import { WINDOW_VALUES } from './sampler';
import type { SimGpu } from './types';

/** The values of a device that are averaged over a window (what the analyzer scores and exports), in sampler.ts's order. */
export const WINDOW_FIELDS = [
  'utilizationPercent',
  'memoryCopyUtilizationPercent',
  'memoryUsedMiB',
  'memoryFreeMiB',
  'memoryReservedMiB',
  'powerWatts',
  'powerLimitWatts',
  'smClockMHz',
  'temperatureCelsius',
  'grEngineActiveRatio',
  'dramActiveRatio',
] as const;

export type WindowField = (typeof WINDOW_FIELDS)[number];

/** One device's time-averages over [fromMs, toMs]; identity and tenant as at `toMs`. */
export interface SimGpuWindow {
  readonly gpu: SimGpu;
  readonly fromMs: number;
  readonly toMs: number;
  /** Undefined where the exporter reports no such series (GPU_UTIL / MEM_COPY_UTIL of MIG instances). */
  readonly averages: Readonly<Partial<Record<WindowField, number>>>;
}

/**
 * The exact time-average of each value over [fromMs, toMs], as exported (already rounded the way dcgm-exporter
 * prints). Values are constant within a bucket, so the average is the overlap-weighted mean of the buckets the window
 * touches. This is the ground truth the analyzer's window averages are compared with.
 *
 * The model keeps no history of pattern switches: a window that spans a `setPattern` call is averaged as if the
 * current pattern had always run.
 *
 * Each bucket's values go into one reused Float64Array (no object per device and bucket: a 10-minute window of 50,000
 * GPUs is 60 buckets); the sums are added in bucket order exactly as they always were, so results are bit-identical.
 */
export function windowAverages(
  model: FleetModel,
  fromMs: number,
  toMs: number,
  cluster?: string,
): SimGpuWindow[] {
  if (!(toMs >= fromMs)) throw new RangeError(`window end ${toMs} is before its start ${fromMs}`);
  const buckets = weightedBuckets(model, fromMs, toMs);
  const last = buckets.at(-1);
  if (!last) return [];
  // Identity and tenant as at the window's end: the rows of the last bucket that counts.
  const gpus = model.gpus(cluster, last.start);
  const values = new Float64Array(gpus.length * WINDOW_VALUES);
  const sums = new Float64Array(gpus.length * WINDOW_VALUES);
  const present = new Uint8Array(gpus.length * WINDOW_VALUES);
  for (const { start, weight } of buckets) {
    const rows = model.windowValues(cluster, start, values);
    if (rows !== gpus.length)
      throw new Error(`the fleet changed during a window (${rows} rows, then ${gpus.length})`);
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      if (Number.isNaN(value)) continue; // not reported (GPU_UTIL / MEM_COPY_UTIL of MIG instances)
      sums[i] = sums[i]! + value * weight;
      present[i] = 1;
    }
  }
  return gpus.map((gpu, r) => {
    const averages: Partial<Record<WindowField, number>> = {};
    WINDOW_FIELDS.forEach((field, f) => {
      if (present[r * WINDOW_VALUES + f]) averages[field] = sums[r * WINDOW_VALUES + f];
    });
    return { gpu, fromMs, toMs, averages };
  });
}

/** The buckets [fromMs, toMs] overlaps, each with where it starts inside the window and its share of the window. */
function weightedBuckets(
  model: FleetModel,
  fromMs: number,
  toMs: number,
): { start: number; weight: number }[] {
  const tickMs = model.tickSeconds * 1000;
  const span = toMs - fromMs;
  const out: { start: number; weight: number }[] = [];
  for (let bucket = model.bucketOf(fromMs); bucket <= model.bucketOf(toMs); bucket++) {
    const start = Math.max(fromMs, bucket * tickMs);
    const end = Math.min(toMs, (bucket + 1) * tickMs);
    // A zero-length window is the instant value; otherwise each bucket counts by its overlap.
    const weight = span === 0 ? 1 : (end - start) / span;
    if (weight > 0) out.push({ start, weight });
  }
  return out;
}
