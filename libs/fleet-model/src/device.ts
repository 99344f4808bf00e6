import type { EnergyLedger } from './energy';
import { GPU_RESOURCE, MIG_SLICES_PER_GPU, migResourceName } from './gpu-models';
import type { GpuModelSpec, MigProfileSpec } from './gpu-models';
import { meanPowerFraction } from './patterns';
import type { SimTenant, WorkloadPattern } from './types';

/**
 * The model's mutable per-device state (internal; the public face is SimGpu). A physical GPU either runs one
 * workload itself or, when MIG is enabled, is split into instances that each run their own.
 */
export interface MigSlot {
  readonly profile: MigProfileSpec;
  readonly instanceId: string;
  /** Hash key for the instance's own noise streams. */
  readonly key: number;
  pattern: WorkloadPattern;
  tenant: SimTenant | undefined;
  /** When `setPattern` gave the instance its pattern; absent: since the scenario began. */
  patternSinceMs?: number;
}

export interface PhysicalGpu {
  readonly cluster: string;
  readonly node: string;
  readonly index: number;
  readonly uuid: string;
  readonly pciBusId: string;
  readonly model: GpuModelSpec;
  readonly driverVersion: string;
  readonly key: number;
  /** Whole-GPU workload; unused when `mig` is set. */
  pattern: WorkloadPattern;
  tenant: SimTenant | undefined;
  /** When `setPattern` gave the GPU its pattern; absent: since the scenario began. */
  patternSinceMs?: number;
  readonly mig: readonly MigSlot[] | undefined;
  readonly energy: EnergyLedger;
}

/** Board power share of a MIG-enabled GPU with no instance busy. */
export const MIG_BASE_PATTERN: WorkloadPattern = 'unallocated';

/**
 * Mean board power the energy counter integrates. For MIG: the idle board plus each busy instance's power above idle,
 * weighted by its share of the 7 compute slices (an unallocated instance adds nothing).
 */
export function meanPowerWatts(gpu: Pick<PhysicalGpu, 'model' | 'pattern' | 'key' | 'mig'>): number {
  if (!gpu.mig) return gpu.model.tdpWatts * meanPowerFraction(gpu.pattern, gpu.key);
  const base = meanPowerFraction(MIG_BASE_PATTERN, gpu.key);
  let fraction = base;
  for (const slot of gpu.mig) {
    if (slot.pattern === 'unallocated') continue;
    fraction +=
      (slot.profile.slices / MIG_SLICES_PER_GPU) * (meanPowerFraction(slot.pattern, slot.key) - base);
  }
  return gpu.model.tdpWatts * fraction;
}

/** The extended resource each schedulable unit of this GPU is advertised as. */
export function resourcesOf(gpu: PhysicalGpu): readonly string[] {
  return gpu.mig ? gpu.mig.map((s) => migResourceName(s.profile.name)) : [GPU_RESOURCE];
}
