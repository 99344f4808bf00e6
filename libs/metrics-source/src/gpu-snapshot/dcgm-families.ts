import type { GpuSample } from './gpu-sample';
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
  /** An older name of the same field: read from Prometheus, never emitted by the simulated adapter. */
  readonly alias?: true;
  /** A health family: read for current values, left out of range reads (history, exports) that never show it. */
  readonly health?: true;
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
  { metric: 'DCGM_FI_DEV_MEM_CLOCK', field: 'memoryClockMHz', factor: 1 },
  // Health. Names as in etc/default-counters.csv (XID, PCIe replay, remapped rows are enabled by default; ECC,
  // retired pages, NVLink errors and clock events are commented out there and read when an operator enables them).
  { metric: 'DCGM_FI_DEV_XID_ERRORS', field: 'lastXid', factor: 1, health: true },
  { metric: 'DCGM_FI_DEV_ECC_SBE_VOL_TOTAL', field: 'eccSingleBitVolatileCount', factor: 1, health: true },
  { metric: 'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL', field: 'eccDoubleBitVolatileCount', factor: 1, health: true },
  { metric: 'DCGM_FI_DEV_RETIRED_DBE', field: 'retiredPagesDoubleBitCount', factor: 1, health: true },
  {
    metric: 'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS',
    field: 'remappedRowsUncorrectableCount',
    factor: 1,
    health: true,
  },
  { metric: 'DCGM_FI_DEV_ROW_REMAP_FAILURE', field: 'rowRemapFailureFlag', factor: 1, health: true },
  { metric: 'DCGM_FI_DEV_CLOCKS_EVENT_REASONS', field: 'clocksEventReasonsMask', factor: 1, health: true },
  // DCGM < 3.3 named the same field 112 this way.
  {
    metric: 'DCGM_FI_DEV_CLOCK_THROTTLE_REASONS',
    field: 'clocksEventReasonsMask',
    factor: 1,
    alias: true,
    health: true,
  },
  { metric: 'DCGM_FI_DEV_PCIE_REPLAY_COUNTER', field: 'pcieReplayCount', factor: 1, health: true },
  {
    metric: 'DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL',
    field: 'nvlinkCrcFlitErrorCount',
    factor: 1,
    health: true,
  },
  {
    metric: 'DCGM_FI_DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL',
    field: 'nvlinkCrcDataErrorCount',
    factor: 1,
    health: true,
  },
  {
    metric: 'DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL',
    field: 'nvlinkReplayErrorCount',
    factor: 1,
    health: true,
  },
  {
    metric: 'DCGM_FI_DEV_NVLINK_RECOVERY_ERROR_COUNT_TOTAL',
    field: 'nvlinkRecoveryErrorCount',
    factor: 1,
    health: true,
  },
];

/** Every GPU and MIG instance exports FB_USED, so it carries the identity and tenant labels. */
export const DCGM_IDENTITY_METRIC = 'DCGM_FI_DEV_FB_USED';

/** The label that names the metric after aggregation (aggregations drop __name__). */
export const METRIC_LABEL = 'kcloud_metric';

/** The families of range reads: every value family but the health ones. */
export const DCGM_SERIES_FAMILIES = DCGM_VALUE_FAMILIES.filter((f) => !f.health);
