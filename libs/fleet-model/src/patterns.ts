import { hashMix, noise, toUnit } from './hash';
import type { WorkloadPattern } from './types';

/**
 * Workload patterns as value ranges. A value is `lo + (hi - lo) * (level + jitter) / 2`: `level` is fixed per device
 * (two training GPUs do not look identical) and `jitter` changes per time bucket. Both are uniform, so a device's
 * long-run mean is known in closed form — the energy counter integrates exactly that mean.
 */
type Range = readonly [lo: number, hi: number];

interface PhaseProfile {
  readonly utilPercent: Range;
  readonly memCopyPercent: Range;
  /** Share of the board power limit. */
  readonly powerFraction: Range;
  /** DCGM_FI_PROF_PIPE_TENSOR_ACTIVE as a share of the engine-active ratio. */
  readonly tensorShare: Range;
}

interface PatternProfile {
  /** Whether the pattern implies a pod holding the device. */
  readonly allocated: boolean;
  /** Share of usable framebuffer in use; mostly per device (memory is held, it does not flicker). */
  readonly memoryFraction: Range;
  readonly busy: PhaseProfile;
  /** When set, buckets alternate `periodBuckets` busy then `periodBuckets` quiet (per-device phase). */
  readonly quiet?: PhaseProfile;
  readonly periodBuckets: number;
  /** The DCGM profiling module reads 0 (locked by another profiler, a DCGM fault) whatever the device does. */
  readonly profFieldsZero?: boolean;
}

const IDLE: PhaseProfile = {
  utilPercent: [0, 0],
  memCopyPercent: [0, 0],
  powerFraction: [0, 0],
  tensorShare: [0, 0],
};

const TRAINING: PatternProfile = {
  allocated: true,
  memoryFraction: [0.85, 0.95],
  busy: {
    utilPercent: [85, 98],
    memCopyPercent: [40, 60],
    powerFraction: [0.8, 0.95],
    tensorShare: [0.45, 0.7],
  },
  periodBuckets: 1,
};

const UNALLOCATED: PatternProfile = {
  allocated: false,
  memoryFraction: [0.004, 0.006],
  busy: { ...IDLE, powerFraction: [0.08, 0.12] },
  periodBuckets: 1,
};

export const PATTERNS: Readonly<Record<WorkloadPattern, PatternProfile>> = {
  training: TRAINING,
  inference: {
    allocated: true,
    memoryFraction: [0.35, 0.6],
    busy: {
      utilPercent: [60, 90],
      memCopyPercent: [20, 45],
      powerFraction: [0.55, 0.8],
      tensorShare: [0.25, 0.5],
    },
    quiet: {
      utilPercent: [2, 10],
      memCopyPercent: [0, 3],
      powerFraction: [0.15, 0.22],
      tensorShare: [0, 0.1],
    },
    periodBuckets: 3,
  },
  notebook: {
    allocated: true,
    memoryFraction: [0.6, 0.8],
    busy: { ...IDLE, powerFraction: [0.12, 0.18] },
    periodBuckets: 1,
  },
  unallocated: UNALLOCATED,
  'dataloader-stall': {
    allocated: true,
    memoryFraction: [0.75, 0.9],
    busy: {
      utilPercent: [85, 95],
      memCopyPercent: [35, 55],
      powerFraction: [0.75, 0.9],
      tensorShare: [0.4, 0.6],
    },
    quiet: { utilPercent: [2, 8], memCopyPercent: [1, 4], powerFraction: [0.2, 0.3], tensorShare: [0, 0.05] },
    periodBuckets: 1,
  },
  // An unallocated board's readings, but a pod holds it.
  'allocated-empty': { ...UNALLOCATED, allocated: true },
  'prof-zero': { ...TRAINING, profFieldsZero: true },
};

export const WORKLOAD_PATTERNS = Object.keys(PATTERNS) as readonly WorkloadPattern[];

export function isWorkloadPattern(value: unknown): value is WorkloadPattern {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(PATTERNS, value);
}

export function isAllocatedPattern(pattern: WorkloadPattern): boolean {
  return PATTERNS[pattern].allocated;
}

/** Whether the pattern's DCGM profiling fields read 0 while it works. */
export function readsProfZero(pattern: WorkloadPattern): boolean {
  return PATTERNS[pattern].profFieldsZero === true;
}

/** Unrounded workload values of one device in one bucket; the device sampler rounds them the way DCGM prints. */
export interface WorkloadSample {
  readonly busy: boolean;
  readonly utilPercent: number;
  readonly memCopyPercent: number;
  readonly memoryFraction: number;
  readonly powerFraction: number;
  readonly tensorShare: number;
}

// Noise channels: each value of a device draws from its own stream.
const CH_UTIL = 1;
const CH_MEMCOPY = 2;
const CH_POWER = 3;
const CH_TENSOR = 4;
const CH_MEMORY = 5;
const CH_PHASE = 6;

function levelOf(deviceKey: number, channel: number): number {
  return toUnit(hashMix(deviceKey, 1000 + channel));
}

function pick(range: Range, level: number, jitter: number): number {
  return range[0] + (range[1] - range[0]) * (level + jitter) * 0.5;
}

function isBusy(profile: PatternProfile, deviceKey: number, bucket: number): boolean {
  if (!profile.quiet) return true;
  const period = profile.periodBuckets;
  const offset = hashMix(deviceKey, CH_PHASE) % (2 * period);
  return Math.floor((bucket + offset) / period) % 2 === 0;
}

export function sampleWorkload(pattern: WorkloadPattern, deviceKey: number, bucket: number): WorkloadSample {
  const profile = PATTERNS[pattern];
  const busy = isBusy(profile, deviceKey, bucket);
  const phase = busy || !profile.quiet ? profile.busy : profile.quiet;
  const value = (range: Range, channel: number): number =>
    pick(range, levelOf(deviceKey, channel), noise(deviceKey, bucket, channel));
  const memLevel = levelOf(deviceKey, CH_MEMORY);
  const memJitter = noise(deviceKey, bucket, CH_MEMORY);
  const memRange = profile.memoryFraction;
  return {
    busy,
    utilPercent: value(phase.utilPercent, CH_UTIL),
    memCopyPercent: value(phase.memCopyPercent, CH_MEMCOPY),
    memoryFraction: memRange[0] + (memRange[1] - memRange[0]) * (0.9 * memLevel + 0.1 * memJitter),
    powerFraction: value(phase.powerFraction, CH_POWER),
    tensorShare: value(phase.tensorShare, CH_TENSOR),
  };
}

/** Long-run mean of `powerFraction` for this device: the jitter averages to 1/2, alternation to half busy. */
export function meanPowerFraction(pattern: WorkloadPattern, deviceKey: number): number {
  const profile = PATTERNS[pattern];
  const level = levelOf(deviceKey, CH_POWER);
  const mean = (range: Range): number => pick(range, level, 0.5);
  return profile.quiet
    ? (mean(profile.busy.powerFraction) + mean(profile.quiet.powerFraction)) / 2
    : mean(profile.busy.powerFraction);
}
