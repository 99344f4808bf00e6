import type { GpuSample } from '../metric-source.port';
import type { ReadingField } from '../quality/reading-value';

type NumericField = {
  [K in keyof GpuSample]-?: GpuSample[K] extends number | undefined ? (K extends 'index' ? never : K) : never;
}[keyof GpuSample] &
  ReadingField;

/**
 * The dcgm-exporter families read for current GPU values, as data: metric name → sample field and unit factor.
 * Names per METRICS.md §1.3; the power limit is not in the default CSV and is simply absent when not added.
 */
export const DCGM_VALUE_FAMILIES: readonly {
  readonly metric: string;
  readonly field: NumericField;
  readonly factor: number;
}[] = [
  { metric: 'DCGM_FI_DEV_GPU_UTIL', field: 'utilizationPercent', factor: 1 },
  { metric: 'DCGM_FI_DEV_MEM_COPY_UTIL', field: 'memoryCopyUtilizationPercent', factor: 1 },
  { metric: 'DCGM_FI_DEV_FB_USED', field: 'memoryUsedMiB', factor: 1 },
  { metric: 'DCGM_FI_DEV_FB_FREE', field: 'memoryFreeMiB', factor: 1 },
  { metric: 'DCGM_FI_DEV_FB_RESERVED', field: 'memoryReservedMiB', factor: 1 },
  { metric: 'DCGM_FI_DEV_POWER_USAGE', field: 'powerWatts', factor: 1 },
  { metric: 'DCGM_FI_DEV_POWER_MGMT_LIMIT', field: 'powerLimitWatts', factor: 1 },
  { metric: 'DCGM_FI_DEV_GPU_TEMP', field: 'temperatureCelsius', factor: 1 },
  { metric: 'DCGM_FI_DEV_SM_CLOCK', field: 'smClockMHz', factor: 1 },
  // DCGM reports energy in mJ.
  { metric: 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', field: 'energyJoules', factor: 1 / 1000 },
  { metric: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', field: 'grEngineActiveRatio', factor: 1 },
  { metric: 'DCGM_FI_PROF_DRAM_ACTIVE', field: 'dramActiveRatio', factor: 1 },
];

/** Every GPU and MIG instance exports FB_USED, so it carries the identity and tenant labels. */
export const DCGM_IDENTITY_METRIC = 'DCGM_FI_DEV_FB_USED';

/** The label that names the metric after aggregation (aggregations drop __name__). */
export const METRIC_LABEL = 'kcloud_metric';
