import { hashString, toUnit } from './hash';

/**
 * Joule counters for power that is constant within a time bucket (Kepler's `*_joules_total`). The counters are the
 * exact integral of the bucket powers, so `rate(counter[w])` in Prometheus equals the average power over `w`, and
 * within one bucket the instantaneous ground truth.
 *
 * Integration starts at the origin bucket (when the model was first asked) from a per-series base ("energy since
 * boot") and advances forward incrementally, so the usual forward-moving scrapes cost one bucket at a time. A time
 * before the cursor is recomputed from the origin (tests asking about the recent past); a time before the origin is
 * extrapolated backwards at the origin's power. Series that appear later (a new pod) start from their base then.
 */
export type PowerByKey = ReadonlyMap<string, number>;

export class PowerLedger {
  private cursor: number;
  private readonly totals = new Map<string, number>();

  constructor(
    private readonly originBucket: number,
    private readonly tickMs: number,
    private readonly powerOfBucket: (bucket: number) => PowerByKey,
    private readonly base: (key: string) => number = baseJoules,
  ) {
    this.cursor = originBucket;
  }

  /** Joules of every series at `atMs`. */
  energyAt(atMs: number): Map<string, number> {
    const bucket = Math.floor(atMs / this.tickMs);
    if (bucket < this.originBucket) return this.beforeOrigin(atMs);
    let totals: Map<string, number>;
    if (bucket >= this.cursor) {
      for (; this.cursor < bucket; this.cursor++) this.add(this.totals, this.cursor, this.tickMs);
      totals = this.totals;
    } else {
      totals = new Map();
      for (let b = this.originBucket; b < bucket; b++) this.add(totals, b, this.tickMs);
    }
    const out = new Map(totals);
    this.add(out, bucket, atMs - bucket * this.tickMs);
    return out;
  }

  private add(totals: Map<string, number>, bucket: number, durationMs: number): void {
    for (const [key, watts] of this.powerOfBucket(bucket))
      totals.set(key, (totals.get(key) ?? this.base(key)) + (watts * durationMs) / 1000);
  }

  private beforeOrigin(atMs: number): Map<string, number> {
    const out = new Map<string, number>();
    const earlierMs = this.originBucket * this.tickMs - atMs;
    for (const [key, watts] of this.powerOfBucket(this.originBucket))
      out.set(key, Math.max(0, this.base(key) - (watts * earlierMs) / 1000));
    return out;
  }
}

/** Energy a series had counted "since boot" when integration started: 1–5 MJ, stable per series key. */
export function baseJoules(key: string): number {
  return 1e6 + toUnit(hashString(`joules|${key}`)) * 4e6;
}
