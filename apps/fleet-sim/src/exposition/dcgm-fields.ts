import type { SimGpu } from '@kcloud/fleet-sim';

import type { MetricType } from './text-format';

/**
 * The dcgm-exporter counters the simulator serves: default-counters.csv rows (name, type, HELP exactly as in the CSV)
 * plus the operator-added DCGM_FI_DEV_POWER_MGMT_LIMIT. Ordered by DCGM field id, because dcgm-exporter renders a map
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
  /** Only rendered when the operator enabled it (option `powerLimit`). */
  readonly optIn?: 'powerLimit';
}

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
