import type { InstantSample } from '@kcloud/prometheus';
import { targetKey } from './device-quality';
import { WINDOW_LABEL } from './device-quality.queries';
import { scrapeTargetOf } from './scrape-target';

// How the Prometheus quality adapter measures each target's scrape interval from its own `up` samples.

/** Scrape intervals change only with the Prometheus configuration: re-measured this often. */
export const INTERVAL_TTL_MS = 30_000;
/**
 * Windows for measuring intervals (see scrapeIntervalQuery), besides the lookback. A window of LONG_WINDOW_SECONDS or
 * more holds enough samples to be trusted alone; the short ones (two, coprime, for a target only seconds old) can
 * count one sample too many when one sits exactly on the window's edge, which only ever lowers the ratio: the larger
 * of the two is kept.
 */
export const INTERVAL_WINDOWS_SECONDS = [120, 30, 10, 7];
const LONG_WINDOW_SECONDS = 30;

/** The targets of one cluster with their measured intervals, and when they were measured. */
export interface MeasuredTargets {
  readonly at: number;
  readonly intervals: ReadonlyMap<string, number>;
}

/**
 * Intervals by target from the interval rows: the longest long window's, else the larger of the short windows'.
 * Scrape timestamps jitter by milliseconds, so centiseconds are kept.
 */
export function measure(rows: readonly InstantSample[]): Map<string, number> {
  const best = new Map<string, { window: number; value: number }>();
  for (const s of rows) {
    const target = scrapeTargetOf(s.labels);
    const window = Number(s.labels[WINDOW_LABEL]);
    if (!target || !Number.isFinite(s.value) || s.value <= 0) continue;
    const key = targetKey(target);
    const seen = best.get(key);
    const long = window >= LONG_WINDOW_SECONDS;
    const better =
      !seen ||
      (long && window > seen.window) ||
      (!long && seen.window < LONG_WINDOW_SECONDS && s.value > seen.value);
    if (better) best.set(key, { window, value: s.value });
  }
  return new Map([...best].map(([key, { value }]) => [key, Math.round(value * 100) / 100]));
}

/** Jobs grouped by their scrape interval (the largest of their targets'); jobs not measured yet are left out. */
export function jobsByInterval(intervals: ReadonlyMap<string, number>): Map<number, string[]> {
  const perJob = new Map<string, number>();
  for (const [key, interval] of intervals) {
    const job = key.slice(0, key.indexOf('\u0000'));
    perJob.set(job, Math.max(perJob.get(job) ?? 0, interval));
  }
  const out = new Map<number, string[]>();
  for (const [job, interval] of perJob) out.set(interval, [...(out.get(interval) ?? []), job]);
  return out;
}
