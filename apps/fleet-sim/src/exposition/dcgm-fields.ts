import type { SimGpu } from '@kcloud/fleet-model';

import type { MetricType } from './text-format';
import { xidText } from './xid-text';

/**
 * The dcgm-exporter counters the simulator serves: default-counters.csv rows (name, type, HELP exactly as in the CSV)
 * plus the operator-added DCGM_FI_DEV_POWER_MGMT_LIMIT and the health rows the CSV ships commented out (ECC, retired
 * pages, NVLink errors) or lacks (clock-event reasons), as an operator who enables them gets. Ordered by DCGM field id, because dcgm-exporter renders a map
 * keyed by its Counter struct (FieldID first) and Go templates range over map keys in sorted order.
 */
export interface DcgmField {
  readonly name: string;
  readonly fieldId: number;
  readonly type: MetricType;
  readonly help: string;
  /** int64 fields print with %d, doubles with %f. */
  readonly format: 'int' | 'double';
  /** `undefined` = not reported for this row (DCGM blank → series absent). */
  readonly value: (g: SimGpu) => number | undefined;
  /** Only rendered when the operator enabled it (option `powerLimit` / `allHealthCounters`). */
  readonly optIn?: 'powerLimit' | 'allHealthCounters';
  /** Attributes the exporter adds to this family's rows (XID: err_code, err_msg), sorted in with the k8s ones. */
  readonly attributes?: (g: SimGpu) => Readonly<Record<string, string>>;
}

/** A health counter enabled in the default CSV. */
const defaultCounter = (
  name: string,
  fieldId: number,
  help: string,
  value: (g: SimGpu) => number,
): DcgmField => ({
  ...counter(name, fieldId, help, value),
  optIn: undefined,
});

/** A health counter the default CSV ships commented out: served with the `allHealthCounters` option only. */
const counter = (name: string, fieldId: number, help: string, value: (g: SimGpu) => number): DcgmField => ({
  name,
  fieldId,
  type: 'counter',
  help,
  format: 'int',
  value,
  optIn: 'allHealthCounters',
});

export const DCGM_FIELDS: readonly DcgmField[] = [
  {
    name: 'DCGM_FI_DEV_SM_CLOCK',
    fieldId: 100,
    type: 'gauge',
    help: 'SM clock frequency (in MHz).',
    format: 'int',
    value: (g) => g.smClockMHz,
  },
  {
    name: 'DCGM_FI_DEV_MEM_CLOCK',
    fieldId: 101,
    type: 'gauge',
    help: 'Memory clock frequency (in MHz).',
    format: 'int',
    value: (g) => g.memClockMHz,
  },
  {
    // Not in the shipped CSVs (operators add it); DCGM < 3.3 called field 112 DCGM_FI_DEV_CLOCK_THROTTLE_REASONS.
    name: 'DCGM_FI_DEV_CLOCKS_EVENT_REASONS',
    fieldId: 112,
    type: 'gauge',
    help: 'Current clock event reasons (bitmask of DCGM_CLOCKS_EVENT_REASON_*).',
    format: 'int',
    value: (g) => g.clocksEventReasons,
    optIn: 'allHealthCounters',
  },
  {
    name: 'DCGM_FI_DEV_MEMORY_TEMP',
    fieldId: 140,
    type: 'gauge',
    help: 'Memory temperature (in C).',
    format: 'int',
    value: (g) => g.memoryTemperatureCelsius,
  },
  {
    name: 'DCGM_FI_DEV_GPU_TEMP',
    fieldId: 150,
    type: 'gauge',
    help: 'GPU temperature (in C).',
    format: 'int',
    value: (g) => g.temperatureCelsius,
  },
  {
    name: 'DCGM_FI_DEV_POWER_USAGE',
    fieldId: 155,
    type: 'gauge',
    help: 'Power draw (in W).',
    format: 'double',
    value: (g) => g.powerWatts,
  },
  {
    name: 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION',
    fieldId: 156,
    type: 'counter',
    help: 'Total energy consumption since boot (in mJ).',
    format: 'int',
    value: (g) => g.energyMillijoules,
  },
  {
    name: 'DCGM_FI_DEV_POWER_MGMT_LIMIT',
    fieldId: 160,
    type: 'gauge',
    help: 'Power management limit (in W).',
    format: 'double',
    value: (g) => g.powerLimitWatts,
    optIn: 'powerLimit',
  },
  defaultCounter(
    'DCGM_FI_DEV_PCIE_REPLAY_COUNTER',
    202,
    'Total number of PCIe retries.',
    (g) => g.pcieReplays,
  ),
  {
    name: 'DCGM_FI_DEV_GPU_UTIL',
    fieldId: 203,
    type: 'gauge',
    help: 'GPU utilization (in %).',
    format: 'int',
    value: (g) => g.utilizationPercent,
  },
  {
    name: 'DCGM_FI_DEV_MEM_COPY_UTIL',
    fieldId: 204,
    type: 'gauge',
    help: 'Memory utilization (in %).',
    format: 'int',
    value: (g) => g.memoryCopyUtilizationPercent,
  },
  {
    name: 'DCGM_FI_DEV_XID_ERRORS',
    fieldId: 230,
    type: 'gauge',
    help: 'Value of the last XID error encountered.',
    format: 'int',
    value: (g) => g.xid,
    attributes: (g) => ({ err_code: String(g.xid), err_msg: xidText(g.xid) }),
  },
  {
    name: 'DCGM_FI_DEV_FB_FREE',
    fieldId: 251,
    type: 'gauge',
    help: 'Framebuffer memory free (in MiB).',
    format: 'int',
    value: (g) => g.memoryFreeMiB,
  },
  {
    name: 'DCGM_FI_DEV_FB_USED',
    fieldId: 252,
    type: 'gauge',
    help: 'Framebuffer memory used (in MiB).',
    format: 'int',
    value: (g) => g.memoryUsedMiB,
  },
  {
    name: 'DCGM_FI_DEV_FB_RESERVED',
    fieldId: 253,
    type: 'gauge',
    help: 'Framebuffer memory reserved (in MiB).',
    format: 'int',
    value: (g) => g.memoryReservedMiB,
  },
  counter(
    'DCGM_FI_DEV_ECC_SBE_VOL_TOTAL',
    310,
    'Total number of single-bit volatile ECC errors.',
    (g) => g.eccSbeVolatile,
  ),
  counter(
    'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL',
    311,
    'Total number of double-bit volatile ECC errors.',
    (g) => g.eccDbeVolatile,
  ),
  counter(
    'DCGM_FI_DEV_RETIRED_DBE',
    391,
    'Total number of retired pages due to double-bit errors.',
    (g) => g.retiredPagesDbe,
  ),
  defaultCounter(
    'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS',
    393,
    'Number of remapped rows for uncorrectable errors',
    (g) => g.uncorrectableRemappedRows,
  ),
  defaultCounter(
    'DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS',
    394,
    'Number of remapped rows for correctable errors',
    (g) => g.correctableRemappedRows,
  ),
  {
    name: 'DCGM_FI_DEV_ROW_REMAP_FAILURE',
    fieldId: 395,
    type: 'gauge',
    help: 'Whether remapping of rows has failed',
    format: 'int',
    value: (g) => g.rowRemapFailure,
  },
  counter(
    'DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL',
    409,
    'Total number of NVLink flow-control CRC errors.',
    (g) => g.nvlinkCrcFlitErrors,
  ),
  counter(
    'DCGM_FI_DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL',
    419,
    'Total number of NVLink data CRC errors.',
    (g) => g.nvlinkCrcDataErrors,
  ),
  counter(
    'DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL',
    429,
    'Total number of NVLink retries.',
    (g) => g.nvlinkReplayErrors,
  ),
  counter(
    'DCGM_FI_DEV_NVLINK_RECOVERY_ERROR_COUNT_TOTAL',
    439,
    'Total number of NVLink recovery errors.',
    (g) => g.nvlinkRecoveryErrors,
  ),
  {
    name: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
    fieldId: 1001,
    type: 'gauge',
    help: 'Ratio of time the graphics engine is active.',
    format: 'double',
    value: (g) => g.grEngineActiveRatio,
  },
  {
    name: 'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE',
    fieldId: 1004,
    type: 'gauge',
    help: 'Ratio of cycles the tensor (HMMA) pipe is active.',
    format: 'double',
    value: (g) => g.tensorActiveRatio,
  },
  {
    name: 'DCGM_FI_PROF_DRAM_ACTIVE',
    fieldId: 1005,
    type: 'gauge',
    help: 'Ratio of cycles the device memory interface is active sending or receiving data.',
    format: 'double',
    value: (g) => g.dramActiveRatio,
  },
];
