import { pollUntil } from './poll';

/** The GraphQL TimeRangeInput as the suites send it. */
export interface RangeVariables {
  readonly from: string;
  readonly to: string;
  readonly stepSeconds?: number;
}

export function isoRange(fromMs: number, toMs: number, stepSeconds?: number): RangeVariables {
  const range = { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
  return stepSeconds === undefined ? range : { ...range, stepSeconds };
}

/** The last `spanMs` up to now. */
export function lastRange(spanMs: number, stepSeconds?: number): RangeVariables {
  const to = Date.now();
  return isoRange(to - spanMs, to, stepSeconds);
}

/**
 * `points` steps, one a simulator tick, in the middle of its buckets and starting two buckets before the stack
 * started: the sample Prometheus holds at t (scraped ≤ 1 s before) was rendered in t's bucket, so the model at t is
 * the ground truth, and the first two steps end before Prometheus' first scrape.
 */
export function midBucketSteps(
  startedMs: number,
  tickSeconds: number,
  points: number,
): { readonly timestamps: number[]; readonly range: RangeVariables } {
  const bucketMs = tickSeconds * 1000;
  const from = Math.floor(startedMs / bucketMs) * bucketMs - 2 * bucketMs + bucketMs / 2;
  const timestamps = Array.from({ length: points }, (_, i) => from + i * bucketMs);
  return { timestamps, range: isoRange(from, timestamps.at(-1)!, tickSeconds) };
}

/** Waits until Prometheus has scraped past `toMs` (a scrape a second, plus slack). */
export async function waitForScrapesPast(toMs: number): Promise<void> {
  await pollUntil('the range to be scraped', async () => (Date.now() > toMs + 1500 ? true : undefined), {
    timeoutMs: 60_000,
  });
}

/**
 * Where a step at `t` stands for a stack started at `startedMs`: before the data began (a point without values),
 * around the first scrape (either may hold), or scraped (the simulator's values of t).
 */
export function stepPhase(t: number, startedMs: number): 'before-data' | 'first-scrape' | 'scraped' {
  if (t < startedMs - 5000) return 'before-data';
  return t < startedMs + 1500 ? 'first-scrape' : 'scraped';
}
