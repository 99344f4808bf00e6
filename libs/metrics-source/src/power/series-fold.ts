import type { InvalidReading } from '../quality/reading-quality';
import { ReadingJudge, type ReadingVerdict } from '../quality/reading-value';
import type { TimedValue } from './power.port';

/**
 * The steps of range series whose reading was refused, per field: those steps leave the field's summed series (a sum
 * missing one part would be a wrong number), and each refusal is reported once per field.
 */
export class RefusedSteps<F extends string> {
  private readonly steps = new Map<F, Set<number>>();
  private readonly refusals = new ReadingJudge();

  judge(
    field: F,
    points: readonly TimedValue[],
    verdictOf: (value: number) => ReadingVerdict,
    reportAs: string,
  ): TimedValue[] {
    const valid: TimedValue[] = [];
    for (const p of points) {
      const verdict = verdictOf(p.value);
      if (verdict.ok) {
        valid.push(p);
        continue;
      }
      const set = this.steps.get(field) ?? new Set<number>();
      set.add(p.timestampMs);
      this.steps.set(field, set);
      this.refusals.refuse(reportAs, verdict.reason);
    }
    return valid;
  }

  /** The fields' series without their refused steps. */
  without<T extends Partial<Record<F, TimedValue[]>>>(fields: T): T {
    const out: T = { ...fields };
    for (const [field, set] of this.steps) {
      const series = out[field];
      if (series) out[field] = series.filter((p) => !set.has(p.timestampMs)) as T[F];
    }
    return out;
  }

  get invalidReadings(): readonly InvalidReading[] | undefined {
    return this.refusals.invalidReadings;
  }
}

/** Pointwise sum of two series on the same step grid. */
export function addSeries(a: readonly TimedValue[], b: readonly TimedValue[]): TimedValue[] {
  const sum = new Map<number, number>();
  for (const p of [...a, ...b]) sum.set(p.timestampMs, (sum.get(p.timestampMs) ?? 0) + p.value);
  return [...sum].sort(([x], [y]) => x - y).map(([timestampMs, value]) => ({ timestampMs, value }));
}

export function dropUndefined<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
