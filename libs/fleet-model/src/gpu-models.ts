/**
 * The GPU models the simulator knows: NVML names (dcgm-exporter's `modelName` label), framebuffer sizes as NVML reports
 * them, board power limits (the power-management limit reported as DCGM_FI_DEV_POWER_MGMT_LIMIT) and clocks.
 */
export interface GpuModelSpec {
  readonly name: string;
  /** FB_USED + FB_FREE + FB_RESERVED. */
  readonly memoryTotalMiB: number;
  /** Driver/firmware reservation, constant per model (DCGM_FI_DEV_FB_RESERVED). */
  readonly memoryReservedMiB: number;
  readonly tdpWatts: number;
  readonly smClockIdleMHz: number;
  readonly smClockMaxMHz: number;
  readonly memClockMHz: number;
  readonly migCapable: boolean;
}

export const GPU_MODELS: readonly GpuModelSpec[] = [
  {
    name: 'NVIDIA H100 80GB HBM3',
    memoryTotalMiB: 81559,
    memoryReservedMiB: 553,
    tdpWatts: 700,
    smClockIdleMHz: 345,
    smClockMaxMHz: 1980,
    memClockMHz: 2619,
    migCapable: true,
  },
  {
    name: 'NVIDIA A100-SXM4-80GB',
    memoryTotalMiB: 81920,
    memoryReservedMiB: 567,
    tdpWatts: 400,
    smClockIdleMHz: 210,
    smClockMaxMHz: 1410,
    memClockMHz: 1593,
    migCapable: true,
  },
  {
    name: 'NVIDIA A100 80GB PCIe',
    memoryTotalMiB: 81920,
    memoryReservedMiB: 567,
    tdpWatts: 300,
    smClockIdleMHz: 210,
    smClockMaxMHz: 1410,
    memClockMHz: 1512,
    migCapable: true,
  },
  {
    name: 'NVIDIA L40S',
    memoryTotalMiB: 46068,
    memoryReservedMiB: 451,
    tdpWatts: 350,
    smClockIdleMHz: 210,
    smClockMaxMHz: 2520,
    memClockMHz: 9001,
    migCapable: false,
  },
  {
    name: 'Tesla T4',
    memoryTotalMiB: 15360,
    memoryReservedMiB: 257,
    tdpWatts: 70,
    smClockIdleMHz: 300,
    smClockMaxMHz: 1590,
    memClockMHz: 5000,
    migCapable: false,
  },
];

export const DEFAULT_GPU_MODEL = 'NVIDIA H100 80GB HBM3';
export const DEFAULT_DRIVER_VERSION = '580.105.08';

export function findGpuModel(name: string): GpuModelSpec | undefined {
  return GPU_MODELS.find((m) => m.name === name);
}

/**
 * MIG GPU-instance profiles of the 80 GB A100/H100 parts. `slices` is the share of the 7 compute slices; memory is what
 * NVML reports as the instance's framebuffer.
 */
export interface MigProfileSpec {
  readonly name: string;
  readonly slices: number;
  readonly memoryTotalMiB: number;
}

export const MIG_SLICES_PER_GPU = 7;

export const MIG_PROFILES: readonly MigProfileSpec[] = [
  { name: '1g.10gb', slices: 1, memoryTotalMiB: 9728 },
  { name: '1g.20gb', slices: 1, memoryTotalMiB: 19968 },
  { name: '2g.20gb', slices: 2, memoryTotalMiB: 19968 },
  { name: '3g.40gb', slices: 3, memoryTotalMiB: 40192 },
  { name: '4g.40gb', slices: 4, memoryTotalMiB: 40192 },
  { name: '7g.80gb', slices: 7, memoryTotalMiB: 80896 },
];

export function findMigProfile(name: string): MigProfileSpec | undefined {
  return MIG_PROFILES.find((p) => p.name === name);
}

/** The Kubernetes extended resource a MIG instance is requested as (mixed strategy): `nvidia.com/mig-1g.10gb`. */
export function migResourceName(profile: string): string {
  return `nvidia.com/mig-${profile}`;
}

export const GPU_RESOURCE = 'nvidia.com/gpu';
