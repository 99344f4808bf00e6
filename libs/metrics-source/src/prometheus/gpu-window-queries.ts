import {
  aggregate,
  labelReplace,
  type Matcher,
  or,
  type PromQL,
  rangeFn,
  selector,
} from '@kcloud/prometheus';
import type { GpuWindowAggregate } from '../ports/gpu-window.port';
import { METRIC_LABEL } from './dcgm-families';

type WindowField = {
  [K in keyof GpuWindowAggregate]-?: GpuWindowAggregate[K] extends number | undefined
    ? K extends 'index'
      ? never
      : K
    : never;
}[keyof GpuWindowAggregate];

export interface WindowFamily {
  readonly metric: string;
  readonly field: WindowField;
}

/**
 * Families averaged over the window, in request batches. Each batch is one request; batches run in parallel so
 * Prometheus can use more than one core. The grouping is a constant: the request count never depends on GPU count.
 * Near-constant families (reserved framebuffer, power limit) ride along: the average of a constant is the constant,
 * and it saves a request.
 */
export const WINDOW_BATCHES: readonly (readonly WindowFamily[])[] = [
  [
    { metric: 'DCGM_FI_DEV_GPU_UTIL', field: 'utilizationPercent' },
    { metric: 'DCGM_FI_DEV_MEM_COPY_UTIL', field: 'memoryCopyUtilizationPercent' },
    { metric: 'DCGM_FI_DEV_SM_CLOCK', field: 'smClockMHz' },
  ],
  [
    { metric: 'DCGM_FI_DEV_FB_USED', field: 'memoryUsedMiB' },
    { metric: 'DCGM_FI_DEV_FB_FREE', field: 'memoryFreeMiB' },
    { metric: 'DCGM_FI_DEV_FB_RESERVED', field: 'memoryReservedMiB' },
  ],
  [
    { metric: 'DCGM_FI_DEV_POWER_USAGE', field: 'powerWatts' },
    { metric: 'DCGM_FI_DEV_POWER_MGMT_LIMIT', field: 'powerLimitWatts' },
  ],
  [
    { metric: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', field: 'grEngineActiveRatio' },
    { metric: 'DCGM_FI_PROF_DRAM_ACTIVE', field: 'dramActiveRatio' },
  ],
];

const KEY_LABELS = ['UUID', 'GPU_I_ID'];

/**
 * `label_replace(avg by (UUID, GPU_I_ID) (avg_over_time(A{…}[Ns])), "kcloud_metric", "A", "UUID", ".*") or …`:
 * reducing to (UUID, GPU_I_ID) before the answer leaves Prometheus keeps the payload small (identity comes from its
 * own query), and collapses the per-pod copies of a time-sliced GPU into one value per device.
 */
export function windowBatchQuery(
  families: readonly WindowFamily[],
  matchers: readonly Matcher[],
  windowSeconds: number,
): PromQL {
  const parts = families.map((f) =>
    labelReplace(
      aggregate(
        'avg',
        KEY_LABELS,
        rangeFn('avg_over_time', selector(f.metric, [...matchers]), windowSeconds),
      ),
      METRIC_LABEL,
      f.metric,
      'UUID',
      '.*',
    ),
  );
  return parts.reduce((acc, part) => or(acc, part));
}
