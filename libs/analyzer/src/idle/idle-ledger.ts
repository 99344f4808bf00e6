import { type ActivityRecord, GpuActivityState, isWasted } from '../activity/activity-state';

/**
 * Idle accounting as a ledger the leader extends after each committed cycle: the interval since the previous one is
 * charged to each device's current activity state. Time is weighted by the device's share of a GPU (a MIG instance
 * counts its compute slices over 7), energy is the board counter's increase split over the board's devices by the
 * same weights (so a MIG board's energy is never counted twice), and both land in fixed time buckets so any range is
 * answered by summing buckets (partial buckets pro rata over the time they accounted).
 */

/** One device as the ledger sees it: an activity record and its share of a physical GPU. */
export interface IdleDevice extends ActivityRecord {
  /** 1 for a whole GPU; compute slices / 7 for a MIG instance. */
  readonly gpuFraction: number;
}

/** Totals of one (cluster, namespace, pod, node, model) within a bucket. */
export interface LedgerRow {
  readonly cluster: string;
  readonly namespace: string;
  readonly pod: string;
  readonly node: string;
  readonly model: string;
  readonly allocatedGpuSeconds: number;
  readonly idleGpuSeconds: number;
  readonly idleEnergyJoules: number;
}

/** A bucket of the ledger: what was accounted between `fromMs` and `untilMs` (both within the bucket). */
export interface LedgerBucket {
  readonly startMs: number;
  readonly fromMs: number;
  readonly untilMs: number;
  readonly rows: readonly LedgerRow[];
}

/** The current idle stretch of one device, for reclaim recommendations (idle GPU-hours and energy so far). */
export interface IdleEpisode {
  readonly state: GpuActivityState;
  readonly sinceMs: number;
  readonly idleGpuSeconds: number;
  readonly idleEnergyJoules: number;
}

/** What the ledger carries from one cycle to the next. */
export interface LedgerHead {
  readonly accountedUntilMs?: number;
  /** Each board's latest energy counter reading (J) and its sample time, by `cluster\u0000uuid`. */
  readonly energy: Readonly<Record<string, EnergyReading>>;
  readonly episodes: Readonly<Record<string, IdleEpisode>>;
}

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

export const EMPTY_LEDGER_HEAD: LedgerHead = { energy: {}, episodes: {} };

/** A device's share of one cycle's interval. */
export interface DeviceCharge {
  readonly device: IdleDevice;
  readonly allocatedGpuSeconds: number;
  readonly idleGpuSeconds: number;
  readonly idleEnergyJoules: number;
}

export interface CycleCharges {
  readonly head: LedgerHead;
  /** The interval charged; absent when nothing was (first cycle, or a gap longer than `maxGapMs`). */
  readonly fromMs?: number;
  readonly toMs: number;
  readonly charges: readonly DeviceCharge[];
}

export const boardKey = (cluster: string, uuid: string): string => `${cluster}\u0000${uuid}`;

/** The key of one holder's idle stretch: the device, and the pod on a time-sliced GPU. */
export const episodeKey = (d: Pick<ActivityRecord, 'key' | 'namespace' | 'pod'>): string =>
  d.pod ? `${d.key}#${d.namespace ?? ''}/${d.pod}` : d.key;

/** A device holds its GPU for a tenant when a pod is known; UNKNOWN with a pod still occupies the GPU. */
export function isAllocated(d: Pick<ActivityRecord, 'state' | 'namespace'>): boolean {
  return d.state !== GpuActivityState.UNALLOCATED && !!d.namespace;
}

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
 * Charges the interval since the head's `accountedUntilMs` to the devices' states at `atMs`. A longer gap than
 * `maxGapMs` (the analyzer was down, or nobody led) is not charged: the states in between are unknown.
 * `energy`: the boards' counters now. A board's energy over the interval is the difference of its counter estimated
 * at the interval's two ends (the latest sample extrapolated at the rate between the latest two samples' own times),
 * so a late or early scrape does not shift energy between intervals; a board without a previous estimate, or whose
 * counter went down (driver reload), charges no energy this once.
 */
export function chargeCycle(
  head: LedgerHead,
  atMs: number,
  devices: readonly IdleDevice[],
  energy: ReadonlyMap<string, EnergyReading>,
  maxGapMs: number,
): CycleCharges {
  const from = head.accountedUntilMs;
  const charged = from !== undefined && atMs > from && atMs - from <= maxGapMs;
  // A board missing from this read (its cluster failed) keeps its last reading for a while; a gone board is dropped.
  // Maps while building: objects with thousands of dynamic keys are several times slower to fill.
  const previous = new Map(Object.entries(head.energy));
  const latest = new Map<string, EnergyReading>();
  for (const [k, v] of previous) if (atMs - v.atMs <= maxGapMs) latest.set(k, v);
  for (const [k, now] of energy) latest.set(k, nextReading(previous.get(k), now));
  const boardJoules = new Map<string, number>();
  const readings: [string, EnergyReading][] = [];
  for (const [k, r] of latest) {
    const estimate = r.joules + ((r.watts ?? 0) * (atMs - r.atMs)) / 1000;
    const before = previous.get(k)?.estimateJoules;
    // Differences of one estimate telescope over cycles: sample-time jitter only matters at a range's two ends.
    boardJoules.set(k, charged && before !== undefined && estimate > before ? estimate - before : 0);
    readings.push([k, { ...r, estimateJoules: estimate }]);
  }
  const seconds = charged ? (atMs - from) / 1000 : 0;
  const boardWeight = new Map<string, number>();
  for (const d of devices) {
    const k = boardKey(d.cluster, d.uuid);
    boardWeight.set(k, (boardWeight.get(k) ?? 0) + d.gpuFraction);
  }
  const charges: DeviceCharge[] = [];
  const episodes: [string, IdleEpisode][] = [];
  const lastEpisodes = new Map(Object.entries(head.episodes));
  for (const d of devices) {
    const wasted = isWasted(d.state);
    const k = boardKey(d.cluster, d.uuid);
    const boardDelta = boardJoules.get(k) ?? 0;
    const share = d.gpuFraction / (boardWeight.get(k) || 1);
    const charge: DeviceCharge = {
      device: d,
      allocatedGpuSeconds: isAllocated(d) ? seconds * d.gpuFraction : 0,
      idleGpuSeconds: wasted ? seconds * d.gpuFraction : 0,
      idleEnergyJoules: wasted ? boardDelta * share : 0,
    };
    if (charge.allocatedGpuSeconds > 0 || charge.idleGpuSeconds > 0) charges.push(charge);
    if (!wasted) continue;
    const key = episodeKey(d);
    const last = lastEpisodes.get(key);
    const sinceMs = d.since.getTime();
    const same = last && last.state === d.state && last.sinceMs === sinceMs;
    episodes.push([
      key,
      {
        state: d.state,
        sinceMs,
        idleGpuSeconds: (same ? last.idleGpuSeconds : 0) + charge.idleGpuSeconds,
        idleEnergyJoules: (same ? last.idleEnergyJoules : 0) + charge.idleEnergyJoules,
      },
    ]);
  }
  return {
    head: {
      accountedUntilMs: atMs,
      energy: Object.fromEntries(readings),
      episodes: Object.fromEntries(episodes),
    },
    fromMs: charged ? from : undefined,
    toMs: atMs,
    charges,
  };
}

const rowKey = (r: Omit<LedgerRow, 'allocatedGpuSeconds' | 'idleGpuSeconds' | 'idleEnergyJoules'>) =>
  [r.cluster, r.namespace, r.pod, r.node, r.model].join('\u0000');

/** Splits a cycle's charges over the buckets its interval touches, pro rata. */
export function bucketParts(
  charges: readonly DeviceCharge[],
  fromMs: number,
  toMs: number,
  bucketMs: number,
): LedgerBucket[] {
  const parts: LedgerBucket[] = [];
  for (let start = Math.floor(fromMs / bucketMs) * bucketMs; start < toMs; start += bucketMs) {
    const a = Math.max(fromMs, start);
    const b = Math.min(toMs, start + bucketMs);
    if (b <= a) continue;
    const f = (b - a) / (toMs - fromMs);
    const rows = charges.map(
      (c): LedgerRow => ({
        cluster: c.device.cluster,
        namespace: c.device.namespace ?? '',
        pod: c.device.pod ?? '',
        node: c.device.node,
        model: c.device.model,
        allocatedGpuSeconds: c.allocatedGpuSeconds * f,
        idleGpuSeconds: c.idleGpuSeconds * f,
        idleEnergyJoules: c.idleEnergyJoules * f,
      }),
    );
    parts.push({ startMs: start, fromMs: a, untilMs: b, rows: sumRows(rows, 1) });
  }
  return parts;
}

/**
 * Adds a part to its bucket, idempotently: the bucket's `untilMs` is a watermark, and only the part of the interval
 * after it is added (pro rata), so a cycle accounted twice (a retry, two replicas racing) is never counted twice.
 */
export function mergePart(bucket: LedgerBucket | undefined, part: LedgerBucket): LedgerBucket {
  if (!bucket) return part;
  if (bucket.untilMs >= part.untilMs) return bucket;
  const from = Math.max(part.fromMs, bucket.untilMs);
  const f = (part.untilMs - from) / (part.untilMs - part.fromMs);
  return {
    startMs: bucket.startMs,
    fromMs: Math.min(bucket.fromMs, part.fromMs),
    untilMs: part.untilMs,
    rows: sumRows([...bucket.rows, ...part.rows.map((r) => scaled(r, f))], 1),
  };
}

function scaled(r: LedgerRow, f: number): LedgerRow {
  return {
    ...r,
    allocatedGpuSeconds: r.allocatedGpuSeconds * f,
    idleGpuSeconds: r.idleGpuSeconds * f,
    idleEnergyJoules: r.idleEnergyJoules * f,
  };
}

/** Rows summed per (cluster, namespace, pod, node, model), each scaled by `f`. */
export function sumRows(rows: readonly LedgerRow[], f: number): LedgerRow[] {
  const out = new Map<string, LedgerRow>();
  for (const r of rows) {
    const k = rowKey(r);
    const s = scaled(r, f);
    const prev = out.get(k);
    out.set(
      k,
      prev
        ? {
            ...prev,
            allocatedGpuSeconds: prev.allocatedGpuSeconds + s.allocatedGpuSeconds,
            idleGpuSeconds: prev.idleGpuSeconds + s.idleGpuSeconds,
            idleEnergyJoules: prev.idleEnergyJoules + s.idleEnergyJoules,
          }
        : s,
    );
  }
  return [...out.values()];
}

/**
 * Idle stretches in `next` that `previous` did not have and that began within `recentMs` of `atMs`: devices that just
 * entered a wasted state. A stretch first seen long after it began (the ledger's first run, or after an outage) is
 * not "just became idle".
 */
export function newEpisodes(
  previous: LedgerHead,
  next: LedgerHead,
  atMs: number,
  recentMs: number,
): Set<string> {
  return new Set(
    Object.entries(next.episodes)
      .filter(([k, e]) => previous.episodes[k]?.sinceMs !== e.sinceMs && atMs - e.sinceMs <= recentMs)
      .map(([k]) => k),
  );
}
