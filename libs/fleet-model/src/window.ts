import type { FleetModel } from './fleet-model';
import { gpuKeyOf } from './fleet-model';
import type { SimGpu } from './types';

/** The values of a device that are averaged over a window (what the analyzer scores and exports). */
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
 */
export function windowAverages(
  model: FleetModel,
  fromMs: number,
  toMs: number,
  cluster?: string,
): SimGpuWindow[] {
  if (!(toMs >= fromMs)) throw new RangeError(`window end ${toMs} is before its start ${fromMs}`);
  const tickMs = model.tickSeconds * 1000;
  const sums = new Map<string, { gpu: SimGpu; sums: Partial<Record<WindowField, number>> }>();
  const span = toMs - fromMs;
  for (let bucket = model.bucketOf(fromMs); bucket <= model.bucketOf(toMs); bucket++) {
    const start = Math.max(fromMs, bucket * tickMs);
    const end = Math.min(toMs, (bucket + 1) * tickMs);
    // A zero-length window is the instant value; otherwise each bucket counts by its overlap.
    const weight = span === 0 ? 1 : (end - start) / span;
    if (weight <= 0) continue;
    for (const gpu of model.gpus(cluster, start)) {
      const key = gpuKeyOf(gpu);
      const entry = sums.get(key) ?? { gpu, sums: {} };
      entry.gpu = gpu;
      for (const field of WINDOW_FIELDS) {
        const value = gpu[field];
        if (value !== undefined) entry.sums[field] = (entry.sums[field] ?? 0) + value * weight;
      }
      sums.set(key, entry);
    }
  }
  return [...sums.values()].map(({ gpu, sums: averages }) => ({ gpu, fromMs, toMs, averages }));
}
