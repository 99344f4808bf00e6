import { aggregate, type Matcher, ne, type PromQL, rangeFn, selector } from '@kcloud/prometheus';
import type { GpuWindowAggregate } from './gpu-window.port';

export type WindowField = {
  [K in keyof GpuWindowAggregate]-?: GpuWindowAggregate[K] extends number | undefined
    ? K extends 'index'
      ? never
      : K
    : never;
}[keyof GpuWindowAggregate];

export interface WindowFamily {
  readonly metric: string;
  readonly field: WindowField;
  /** Read for MIG instances only: their stand-in for a signal full GPUs report otherwise. */
  readonly migOnly?: boolean;
  /**
   * How the window is reduced when not averaged: health counters are states, not rates — the last XID and the highest
   * double-bit count are what the analyzer judges a device by (an average of XID codes means nothing).
   */
  readonly over?: { readonly fn: 'last_over_time' | 'max_over_time'; readonly by: 'max' };
}

/**
 * Families averaged over the window, one request each, all in parallel. One family per request measured faster than
 * `or`-joined batches on 10k GPUs (no label_replace or set operation to evaluate, a third less JSON, and Prometheus
 * spreads the requests over its cores); the count is a constant whatever the GPU count. Capacity, reservation and
 * power limit do not move within a window: they come from the device constants (device-constants.ts).
 */
export const WINDOW_FAMILIES: readonly WindowFamily[] = [
  { metric: 'DCGM_FI_DEV_GPU_UTIL', field: 'utilizationPercent' },
  { metric: 'DCGM_FI_DEV_MEM_COPY_UTIL', field: 'memoryCopyUtilizationPercent' },
  { metric: 'DCGM_FI_DEV_SM_CLOCK', field: 'smClockMHz' },
  { metric: 'DCGM_FI_DEV_FB_USED', field: 'memoryUsedMiB' },
  { metric: 'DCGM_FI_DEV_POWER_USAGE', field: 'powerWatts' },
  // Full GPUs too: the analyzer checks it against GPU_UTIL for contradictions.
  { metric: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', field: 'grEngineActiveRatio' },
  // Only a MIG instance's memory-copy input; a full GPU has MEM_COPY_UTIL.
  { metric: 'DCGM_FI_PROF_DRAM_ACTIVE', field: 'dramActiveRatio', migOnly: true },
  // Health: a device with a critical XID or a double-bit ECC error is not scored (scoring/health-rule.ts).
  { metric: 'DCGM_FI_DEV_XID_ERRORS', field: 'lastXid', over: { fn: 'last_over_time', by: 'max' } },
  {
    metric: 'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL',
    field: 'eccDoubleBitVolatileCount',
    over: { fn: 'max_over_time', by: 'max' },
  },
];

/**
 * `avg by (UUID, GPU_I_ID) (avg_over_time(A{…}[Ns]))`: reducing to (UUID, GPU_I_ID) before the answer leaves
 * Prometheus keeps the payload small (identity comes from its own query), and collapses the per-pod copies of a
 * time-sliced GPU into one value per device.
 */
export function windowFamilyQuery(
  family: WindowFamily,
  matchers: readonly Matcher[],
  windowSeconds: number,
): PromQL {
  const all = family.migOnly ? [...matchers, ne('GPU_I_ID', '')] : [...matchers];
  return aggregate(
    family.over?.by ?? 'avg',
    ['UUID', 'GPU_I_ID'],
    rangeFn(family.over?.fn ?? 'avg_over_time', selector(family.metric, all), windowSeconds),
  );
}
