import { MIG_BASE_PATTERN } from './device';
import type { MigSlot, PhysicalGpu } from './device';
import { MIG_SLICES_PER_GPU } from './gpu-models';
import { noise } from './hash';
import { readsProfZero, sampleWorkload } from './patterns';
import type { WorkloadSample } from './patterns';
import { HEALTHY } from './gpu-faults';
import type { SimGpu } from './types';

/**
 * Turns a device's workload sample into the values dcgm-exporter would print: integers for util/FB/temps/clocks/
 * energy, power with milliwatt resolution, DCP ratios with 6 decimals (`%f`).
 */
const CH_TEMP = 21;
const CH_MEMTEMP = 22;
const CH_CLOCK = 23;

/** Board-level readings shared by a GPU's MIG instances (DCGM reports them per device, not per instance). */
interface BoardReadings {
  readonly powerWatts: number;
  readonly temperatureCelsius: number;
  readonly memoryTemperatureCelsius: number;
  readonly smClockMHz: number;
  readonly energyMillijoules: number;
}

/** Appends the rows of one physical GPU at `atMs` (bucket precomputed by the caller): 1 row, or 1 per MIG instance. */
export function sampleGpu(gpu: PhysicalGpu, bucket: number, atMs: number, out: SimGpu[]): void {
  if (!gpu.mig) {
    const w = sampleWorkload(gpu.pattern, gpu.key, bucket);
    const board = boardReadings(gpu, bucket, atMs, w.powerFraction, w.utilPercent);
    const usable = gpu.model.memoryTotalMiB - gpu.model.memoryReservedMiB;
    out.push(row(gpu, undefined, w, board, usable, gpu.model.memoryReservedMiB, true));
    return;
  }
  const base = sampleWorkload(MIG_BASE_PATTERN, gpu.key, bucket).powerFraction;
  const slots = gpu.mig.map((slot) => ({ slot, w: sampleWorkload(slot.pattern, slot.key, bucket) }));
  let fraction = base;
  let maxUtil = 0;
  slots.forEach(({ slot, w }) => {
    maxUtil = Math.max(maxUtil, w.utilPercent);
    if (slot.pattern !== 'unallocated')
      fraction += (slot.profile.slices / MIG_SLICES_PER_GPU) * (w.powerFraction - base);
  });
  const board = boardReadings(gpu, bucket, atMs, fraction, maxUtil);
  slots.forEach(({ slot, w }) => out.push(row(gpu, slot, w, board, slot.profile.memoryTotalMiB, 0, false)));
}

function boardReadings(
  gpu: PhysicalGpu,
  bucket: number,
  atMs: number,
  powerFraction: number,
  utilPercent: number,
): BoardReadings {
  const m = gpu.model;
  const temperatureCelsius = Math.round(
    26 + 52 * powerFraction + 3 * (noise(gpu.key, bucket, CH_TEMP) - 0.5),
  );
  // GPUs boost whenever a kernel runs; they sit at the idle clock only when nothing is scheduled.
  const boost = Math.round((m.smClockMaxMHz * (0.88 + 0.12 * noise(gpu.key, bucket, CH_CLOCK))) / 15) * 15;
  return {
    powerWatts: Math.round(m.tdpWatts * powerFraction * 1000) / 1000,
    temperatureCelsius,
    memoryTemperatureCelsius: temperatureCelsius + 3 + Math.floor(4 * noise(gpu.key, bucket, CH_MEMTEMP)),
    smClockMHz: utilPercent < 0.5 ? m.smClockIdleMHz : Math.min(m.smClockMaxMHz, boost),
    energyMillijoules: gpu.energy.energyAt(atMs),
  };
}

function ratio(value: number): number {
  return Math.round(Math.min(1, Math.max(0, value)) * 1e6) / 1e6;
}

function percent(value: number): number {
  return Math.min(100, Math.max(0, Math.round(value)));
}

function row(
  gpu: PhysicalGpu,
  slot: MigSlot | undefined,
  w: WorkloadSample,
  board: BoardReadings,
  usableMiB: number,
  reservedMiB: number,
  wholeGpu: boolean,
): SimGpu {
  const tenant = slot ? slot.tenant : gpu.tenant;
  const used = Math.min(usableMiB, Math.round(usableMiB * w.memoryFraction));
  const pattern = slot ? slot.pattern : gpu.pattern;
  const profZero = readsProfZero(pattern);
  const gr = profZero ? 0 : ratio(w.utilPercent / 100);
  return {
    cluster: gpu.cluster,
    node: gpu.node,
    uuid: gpu.uuid,
    index: gpu.index,
    pciBusId: gpu.pciBusId,
    model: gpu.model.name,
    driverVersion: gpu.driverVersion,
    migProfile: slot?.profile.name,
    migInstanceId: slot?.instanceId,
    namespace: tenant?.namespace,
    pod: tenant?.pod,
    container: tenant?.container,
    pattern,
    // dcgm-exporter does not report GPU_UTIL / MEM_COPY_UTIL for MIG instances.
    utilizationPercent: wholeGpu ? percent(w.utilPercent) : undefined,
    memoryCopyUtilizationPercent: wholeGpu ? percent(w.memCopyPercent) : undefined,
    memoryUsedMiB: used,
    memoryFreeMiB: usableMiB - used,
    memoryReservedMiB: reservedMiB,
    powerWatts: board.powerWatts,
    powerLimitWatts: gpu.model.tdpWatts,
    temperatureCelsius: board.temperatureCelsius,
    memoryTemperatureCelsius: board.memoryTemperatureCelsius,
    smClockMHz: board.smClockMHz,
    memClockMHz: gpu.model.memClockMHz,
    energyMillijoules: board.energyMillijoules,
    grEngineActiveRatio: gr,
    dramActiveRatio: profZero ? 0 : ratio(w.memCopyPercent / 100),
    tensorActiveRatio: ratio(gr * w.tensorShare),
    ...HEALTHY,
  };
}
