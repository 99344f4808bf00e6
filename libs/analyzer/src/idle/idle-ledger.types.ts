import type { ActivityRecord, GpuActivityState } from '../activity/activity-state';
import type { EnergyReading } from './idle-ledger-energy';

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
