// A board's energy counter as the ledger carries it between cycles, and the energy it charges per interval.

export interface EnergyReading {
  readonly joules: number;
  readonly atMs: number;
  /** The counter's rate between the two latest distinct samples, W (absent after the first). */
  readonly watts?: number;
  /** The counter as estimated at the ledger's `accountedUntilMs` (the latest sample extrapolated at its rate). */
  readonly estimateJoules?: number;
  /** The oldest sample within RATE_SPAN_MS, the rate's other end. */
  readonly anchorJoules?: number;
  readonly anchorAtMs?: number;
}

/**
 * The rate is measured from the oldest sample within this span: a sample's time is its scrape's start, not the
 * exporter's reading, and that jitter over a one-interval span would be percents of the rate.
 */
const RATE_SPAN_MS = 120_000;

/**
 * The board's reading after `now`: the rate from the oldest sample within RATE_SPAN_MS to this one. A sample not
 * newer than the previous (the exporter was not scraped since the last cycle) keeps the previous rate; a counter that
 * went down (driver reload) has no rate until its next sample.
 */
function nextReading(before: EnergyReading | undefined, now: EnergyReading): EnergyReading {
  if (!before) return { joules: now.joules, atMs: now.atMs };
  if (now.atMs <= before.atMs) return before;
  if (now.joules < before.joules) return { joules: now.joules, atMs: now.atMs };
  const keep =
    before.anchorAtMs !== undefined &&
    before.anchorJoules !== undefined &&
    now.atMs - before.anchorAtMs <= RATE_SPAN_MS;
  const anchorJoules = keep ? before.anchorJoules! : before.joules;
  const anchorAtMs = keep ? before.anchorAtMs! : before.atMs;
  return {
    joules: now.joules,
    atMs: now.atMs,
    watts: ((now.joules - anchorJoules) / (now.atMs - anchorAtMs)) * 1000,
    anchorJoules,
    anchorAtMs,
  };
}

/**
 * Advances every board's reading to `atMs` and returns the energy each board drew over the interval just charged
 * (0 when nothing is charged). A board's energy over the interval is the difference of its counter estimated at the
 * interval's two ends (the latest sample extrapolated at the rate between the latest two samples' own times), so a
 * late or early scrape does not shift energy between intervals; a board without a previous estimate, or whose counter
 * went down (driver reload), charges no energy this once.
 */
export function advanceEnergy(
  before: Readonly<Record<string, EnergyReading>>,
  energy: ReadonlyMap<string, EnergyReading>,
  atMs: number,
  maxGapMs: number,
  charged: boolean,
): { readonly readings: Record<string, EnergyReading>; readonly boardJoules: ReadonlyMap<string, number> } {
  // A board missing from this read (its cluster failed) keeps its last reading for a while; a gone board is dropped.
  // Maps while building: objects with thousands of dynamic keys are several times slower to fill.
  const previous = new Map(Object.entries(before));
  const latest = new Map<string, EnergyReading>();
  for (const [k, v] of previous) if (atMs - v.atMs <= maxGapMs) latest.set(k, v);
  for (const [k, now] of energy) latest.set(k, nextReading(previous.get(k), now));
  const boardJoules = new Map<string, number>();
  const readings: [string, EnergyReading][] = [];
  for (const [k, r] of latest) {
    const estimate = r.joules + ((r.watts ?? 0) * (atMs - r.atMs)) / 1000;
    const prior = previous.get(k)?.estimateJoules;
    // Differences of one estimate telescope over cycles: sample-time jitter only matters at a range's two ends.
    boardJoules.set(k, charged && prior !== undefined && estimate > prior ? estimate - prior : 0);
    readings.push([k, { ...r, estimateJoules: estimate }]);
  }
  return { readings: Object.fromEntries(readings), boardJoules };
}
