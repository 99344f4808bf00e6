import type {
  ClusterQualityEvidence,
  ScrapeTarget,
  TargetState,
  WithScrapeTarget,
} from './device-quality.port';
import type { InvalidReading, WithInvalidReadings } from './reading-quality';

/**
 * The state of a device's data, worst first: EXPORTER_DOWN > STALE > FROZEN > PARTIAL > OK. A device is given the
 * first that applies: a down target explains stale and frozen data, stale data cannot be judged frozen, and refused
 * fields (PARTIAL) matter only when the rest is live.
 */
export enum DataQualityStatus {
  OK = 'OK',
  STALE = 'STALE',
  FROZEN = 'FROZEN',
  EXPORTER_DOWN = 'EXPORTER_DOWN',
  PARTIAL = 'PARTIAL',
}

export const DATA_QUALITY_PRECEDENCE: readonly DataQualityStatus[] = [
  DataQualityStatus.EXPORTER_DOWN,
  DataQualityStatus.STALE,
  DataQualityStatus.FROZEN,
  DataQualityStatus.PARTIAL,
  DataQualityStatus.OK,
];

/** A sample older than this many scrape intervals is stale: one missed scrape is normal jitter, two are not. */
export const STALE_AFTER_INTERVALS = 2;

export interface DeviceDataQuality {
  readonly status: DataQualityStatus;
  /** Seconds between the device's newest sample and the evidence's time. */
  readonly sampleAgeSeconds?: number;
  readonly scrapeIntervalSeconds?: number;
  /** Fields read but refused by the reading-quality classifier (DCGM blank, NaN, impossible). */
  readonly nullFields: readonly InvalidReading[];
  /** The status in words; absent when OK. */
  readonly reason?: string;
}

/** What a sample must carry to be judged. */
export interface JudgedSample extends WithInvalidReadings, WithScrapeTarget {
  readonly cluster: string;
  readonly observedAt: Date;
}

export interface QualityFacts {
  readonly sample: JudgedSample;
  readonly target?: TargetState;
  readonly frozen: boolean;
  readonly evaluatedAt: Date;
  /** DATA_FROZEN_SAMPLES, for the reason text. */
  readonly frozenSamples: number;
}

/** The status and reason of one device from its facts (pure; precedence as in DataQualityStatus). */
export function judgeDeviceQuality(f: QualityFacts): DeviceDataQuality {
  const ageSeconds = Math.max(0, (f.evaluatedAt.getTime() - f.sample.observedAt.getTime()) / 1000);
  const sampleAgeSeconds = round3(ageSeconds);
  const interval = f.target?.scrapeIntervalSeconds;
  const nullFields = nullFieldsOf(f.sample);
  const base = { sampleAgeSeconds, scrapeIntervalSeconds: interval, nullFields };
  const where = f.target ? ` (${f.target.target.job} ${f.target.target.instance})` : '';
  if (f.target && !f.target.up)
    return {
      ...base,
      status: DataQualityStatus.EXPORTER_DOWN,
      reason: `exporter target${where} is down; last sample ${describeAge(ageSeconds)} ago`,
    };
  if (interval !== undefined && ageSeconds > STALE_AFTER_INTERVALS * interval)
    return {
      ...base,
      status: DataQualityStatus.STALE,
      reason: `newest sample is ${describeAge(ageSeconds)} old, more than ${STALE_AFTER_INTERVALS} scrape intervals of ${interval}s`,
    };
  if (f.frozen)
    return {
      ...base,
      status: DataQualityStatus.FROZEN,
      reason: `power, temperature and energy identical for at least ${f.frozenSamples} consecutive scrapes`,
    };
  if (nullFields.length)
    return {
      ...base,
      status: DataQualityStatus.PARTIAL,
      reason: `refused readings: ${nullFields.map((n) => `${n.field} (${n.reason})`).join(', ')}`,
    };
  return { ...base, status: DataQualityStatus.OK };
}

export const targetKey = (t: ScrapeTarget): string => `${t.job}\u0000${t.instance}`;

/**
 * Joins the samples of some clusters with their clusters' evidence: each sample gets its quality, and the devices of
 * down targets that are missing from the samples are added (their last identity, no readings).
 *
 * Qualities are shared between devices when they are equal and refuse nothing (a fleet read at one instant is
 * mostly OK with one age): one object for thousands of devices instead of one each. They are frozen, as readonly says.
 */
export function qualifyDevices<S extends JudgedSample>(
  samples: readonly S[],
  evidence: readonly ClusterQualityEvidence<S>[],
  keyOf: (s: S) => string,
  frozenSamples: number,
): { readonly sample: S; readonly quality: DeviceDataQuality }[] {
  const byCluster = new Map(evidence.map((e) => [e.cluster, indexEvidence(e)]));
  const unreachable = evidence.flatMap((e) => e.unreachable);
  const seen = unreachable.length ? new Set(samples.map((s) => `${s.cluster}\u0000${keyOf(s)}`)) : undefined;
  const missing = unreachable.filter((s) => !seen?.has(`${s.cluster}\u0000${keyOf(s)}`));
  const shared = new SharedQualities();
  return [...samples, ...missing].map((sample) => {
    const ev = byCluster.get(sample.cluster);
    if (!ev)
      return {
        sample,
        quality: shared.of({ status: DataQualityStatus.OK, nullFields: nullFieldsOf(sample) }),
      };
    const target = sample.scrapeTarget ? ev.targets.get(targetKey(sample.scrapeTarget)) : undefined;
    return {
      sample,
      quality: shared.of(
        judgeDeviceQuality({
          sample,
          target,
          frozen: ev.frozen.has(keyOf(sample)),
          evaluatedAt: ev.evaluatedAt,
          frozenSamples,
        }),
      ),
    };
  });
}

const NO_NULL_FIELDS: readonly InvalidReading[] = Object.freeze([]);

const nullFieldsOf = (s: WithInvalidReadings): readonly InvalidReading[] =>
  s.invalidReadings?.length ? s.invalidReadings : NO_NULL_FIELDS;

/** Equal judgements that refuse nothing, as one frozen object (keyed by everything they carry). */
class SharedQualities {
  private readonly byKey = new Map<string, DeviceDataQuality>();

  of(q: DeviceDataQuality): DeviceDataQuality {
    if (q.nullFields.length) return q;
    const key = `${q.status}|${q.sampleAgeSeconds}|${q.scrapeIntervalSeconds}|${q.reason}`;
    let one = this.byKey.get(key);
    if (!one) {
      one = Object.freeze({ ...q, nullFields: NO_NULL_FIELDS });
      this.byKey.set(key, one);
    }
    return one;
  }
}

function indexEvidence<S>(e: ClusterQualityEvidence<S>) {
  return {
    evaluatedAt: e.evaluatedAt,
    targets: new Map(e.targets.map((t) => [targetKey(t.target), t])),
    frozen: new Set(e.frozenKeys),
  };
}

function describeAge(seconds: number): string {
  return seconds < 120 ? `${Math.round(seconds)}s` : `${Math.round(seconds / 60)} min`;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
