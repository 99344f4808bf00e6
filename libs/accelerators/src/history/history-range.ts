import { badInput } from '@kcloud/common';

/** Never finer than a minute by default (the export's rule): exporter scrapes are 10–60 s apart. */
const MIN_DEFAULT_STEP_SECONDS = 60;
/** About a point every 2 minutes over a day, like an export's default resolution. */
const TARGET_POINTS = 720;
/** Prometheus refuses range queries of more than 11,000 points per series. */
export const MAX_POINTS_PER_GPU = 11_000;
/** Points (GPUs × timestamps) one request may ask for across all its `history` fields. */
export const MAX_POINTS_PER_REQUEST = 250_000;
/** A year of history at most. */
const MAX_RANGE_SECONDS = 366 * 86_400;

export interface HistoryRange {
  readonly from: Date;
  readonly to: Date;
  readonly stepSeconds: number;
}

export function pointsIn(r: HistoryRange): number {
  return Math.floor((r.to.getTime() - r.from.getTime()) / 1000 / r.stepSeconds) + 1;
}

/**
 * Checks a history range and picks its step as exports do: an explicit step is kept if it gives at most
 * MAX_POINTS_PER_GPU points; without one, the coarser of a minute and ~720 points.
 */
export function historyRange(from: Date, to: Date, requestedStep: number | undefined | null): HistoryRange {
  const fromMs = from.getTime();
  const toMs = to.getTime();
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs))
    throw badInput('range', 'range.from and range.to must be valid times');
  if (fromMs >= toMs) throw badInput('range', 'range.from must be before range.to');
  const span = (toMs - fromMs) / 1000;
  if (span > MAX_RANGE_SECONDS) throw badInput('range', 'a range may span at most 366 days');
  if (requestedStep !== undefined && requestedStep !== null) {
    if (!Number.isInteger(requestedStep) || requestedStep < 1)
      throw badInput('stepSeconds', 'stepSeconds must be a whole number of seconds, at least 1');
    const range = { from, to, stepSeconds: requestedStep };
    if (pointsIn(range) > MAX_POINTS_PER_GPU)
      throw badInput(
        'stepSeconds',
        `range / stepSeconds gives ${pointsIn(range)} points, more than ${MAX_POINTS_PER_GPU}; use stepSeconds ≥ ${Math.ceil(span / (MAX_POINTS_PER_GPU - 1))}`,
      );
    return range;
  }
  return { from, to, stepSeconds: Math.max(MIN_DEFAULT_STEP_SECONDS, Math.ceil(span / TARGET_POINTS)) };
}

/** The readings a history point can carry, by the sample field they come from. */
/** The fields a history's `metrics` argument names, in the fields' order; all of them when it names none. */
export function requestedFields<F extends string>(
  all: readonly F[],
  metrics: readonly string[] | undefined,
): readonly F[] {
  return metrics?.length ? all.filter((f) => metrics.includes(f)) : all;
}

export const HISTORY_FIELDS = [
  'utilizationPercent',
  'memoryCopyUtilizationPercent',
  'memoryUsedMiB',
  'powerWatts',
  'temperatureCelsius',
  'smClockMHz',
  'memoryClockMHz',
] as const;
export type HistoryField = (typeof HISTORY_FIELDS)[number];

export type HistoryPoint<F extends string = HistoryField, V = number> = { readonly timestamp: Date } & {
  readonly [K in F]?: V;
};

/** A device's readings at one step, as a series source answers them. */
export type HistoryReadings<F extends string, V = number> = { readonly [K in F]?: V };

/**
 * One device's points at every step timestamp from `from` to `to`: the fields asked for where the source had a
 * reading, absent (null) where it had none or refused it — a timestamp is never skipped, so charts show the gap.
 */
export function historyPoints<F extends string, V = number>(
  range: HistoryRange,
  fields: readonly F[],
  byTimestamp: ReadonlyMap<number, HistoryReadings<F, V>> | undefined,
): HistoryPoint<F, V>[] {
  const out: HistoryPoint<F, V>[] = [];
  const n = pointsIn(range);
  for (let i = 0; i < n; i++) {
    const ms = range.from.getTime() + i * range.stepSeconds * 1000;
    const p = byTimestamp?.get(ms);
    const point: Record<string, unknown> = { timestamp: new Date(ms) };
    if (p) for (const f of fields) if (p[f] !== undefined) point[f] = p[f];
    out.push(point as HistoryPoint<F, V>);
  }
  return out;
}
