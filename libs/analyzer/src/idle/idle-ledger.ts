import { type ActivityRecord, GpuActivityState, isWasted } from '../activity/activity-state';
import { advanceEnergy, type EnergyReading } from './idle-ledger-energy';
import type { CycleCharges, DeviceCharge, IdleDevice, IdleEpisode, LedgerHead } from './idle-ledger.types';

// The ledger's one entry point for the idle and recommendation code: its types, buckets and energy readings.
export { bucketParts, mergePart, sumRows } from './idle-ledger-buckets';
export type { EnergyReading } from './idle-ledger-energy';
export * from './idle-ledger.types';

/**
 * Idle accounting as a ledger the leader extends after each committed cycle: the interval since the previous one is
 * charged to each device's current activity state. Time is weighted by the device's share of a GPU (a MIG instance
 * counts its compute slices over 7), energy is the board counter's increase split over the board's devices by the
 * same weights (so a MIG board's energy is never counted twice), and both land in fixed time buckets so any range is
 * answered by summing buckets (partial buckets pro rata over the time they accounted).
 */

export const boardKey = (cluster: string, uuid: string): string => `${cluster}\u0000${uuid}`;

/** The key of one holder's idle stretch: the device, and the pod on a time-sliced GPU. */
export const episodeKey = (d: Pick<ActivityRecord, 'key' | 'namespace' | 'pod'>): string =>
  d.pod ? `${d.key}#${d.namespace ?? ''}/${d.pod}` : d.key;

/** A device holds its GPU for a tenant when a pod is known; UNKNOWN with a pod still occupies the GPU. */
export function isAllocated(d: Pick<ActivityRecord, 'state' | 'namespace'>): boolean {
  return d.state !== GpuActivityState.UNALLOCATED && !!d.namespace;
}

/**
 * Charges the interval since the head's `accountedUntilMs` to the devices' states at `atMs`. A longer gap than
 * `maxGapMs` (the analyzer was down, or nobody led) is not charged: the states in between are unknown.
 * `energy`: the boards' counters now; a board's energy over the interval is split over its devices by their share of
 * the GPU (advanceEnergy says how that energy is estimated).
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
  const { readings, boardJoules } = advanceEnergy(head.energy, energy, atMs, maxGapMs, charged);
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
      energy: readings,
      episodes: Object.fromEntries(episodes),
    },
    fromMs: charged ? from : undefined,
    toMs: atMs,
    charges,
  };
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
