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
}

/** How many values per row `sampleGpuWindowValues` writes: window.ts's WINDOW_FIELDS, in that order. */
export const WINDOW_VALUES = 11;

/**
 * One row's computed values. The object rows of `sampleGpu` and the window's typed arrays both take theirs from
 * `rowValues`, so a window is computed from exactly the values `gpus()` reports, without an object per row and bucket.
 * One scratch instance (sampling is synchronous) keeps integers as small integers, as they were.
 */
interface RowValues {
  utilizationPercent: number;
  memoryCopyUtilizationPercent: number;
  memoryUsedMiB: number;
  memoryFreeMiB: number;
  memoryReservedMiB: number;
  powerWatts: number;
  powerLimitWatts: number;
  smClockMHz: number;
  temperatureCelsius: number;
  grEngineActiveRatio: number;
  dramActiveRatio: number;
  tensorActiveRatio: number;
}
const ROW: RowValues = {
  utilizationPercent: 0,
  memoryCopyUtilizationPercent: 0,
  memoryUsedMiB: 0,
  memoryFreeMiB: 0,
  memoryReservedMiB: 0,
  powerWatts: 0,
  powerLimitWatts: 0,
  smClockMHz: 0,
  temperatureCelsius: 0,
  grEngineActiveRatio: 0,
  dramActiveRatio: 0,
  tensorActiveRatio: 0,
};

/** Appends the rows of one physical GPU at `atMs` (bucket precomputed by the caller): 1 row, or 1 per MIG instance. */
export function sampleGpu(gpu: PhysicalGpu, bucket: number, atMs: number, out: SimGpu[]): void {
  const energyMillijoules = gpu.energy.energyAt(atMs);
  eachRow(gpu, bucket, (slot, w, board) => {
    rowValues(gpu, slot, w, board, ROW);
    out.push(row(gpu, slot, board, ROW, energyMillijoules));
  });
}

/**
 * Writes the window values (WINDOW_VALUES per row; NaN where the exporter reports no such series) of the GPU's rows
 * in `bucket` into `out` from row `firstRow` on (as `sampleGpu` would append them); answers how many rows that was.
 */
export function sampleGpuWindowValues(
  gpu: PhysicalGpu,
  bucket: number,
  out: Float64Array,
  firstRow: number,
): number {
  let rows = 0;
  eachRow(gpu, bucket, (slot, w, board) => {
    rowValues(gpu, slot, w, board, ROW);
    let o = (firstRow + rows++) * WINDOW_VALUES;
    out[o++] = slot ? NaN : ROW.utilizationPercent;
    out[o++] = slot ? NaN : ROW.memoryCopyUtilizationPercent;
    out[o++] = ROW.memoryUsedMiB;
    out[o++] = ROW.memoryFreeMiB;
    out[o++] = ROW.memoryReservedMiB;
    out[o++] = ROW.powerWatts;
    out[o++] = ROW.powerLimitWatts;
    out[o++] = ROW.smClockMHz;
    out[o++] = ROW.temperatureCelsius;
    out[o++] = ROW.grEngineActiveRatio;
    out[o] = ROW.dramActiveRatio;
  });
  return rows;
}

/** Calls `visit` for the whole GPU, or for each MIG instance in order, with its workload and the board readings. */
function eachRow(
  gpu: PhysicalGpu,
  bucket: number,
  visit: (slot: MigSlot | undefined, w: WorkloadSample, board: BoardReadings) => void,
): void {
  if (!gpu.mig) {
    const w = sampleWorkload(gpu.pattern, gpu.key, bucket);
    visit(undefined, w, boardReadings(gpu, bucket, w.powerFraction, w.utilPercent));
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
  const board = boardReadings(gpu, bucket, fraction, maxUtil);
  slots.forEach(({ slot, w }) => visit(slot, w, board));
}

function boardReadings(
  gpu: PhysicalGpu,
  bucket: number,
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
  };
}

function ratio(value: number): number {
  return Math.round(Math.min(1, Math.max(0, value)) * 1e6) / 1e6;
}

function percent(value: number): number {
  return Math.min(100, Math.max(0, Math.round(value)));
}

/** Computes one row's values into `v` (MIG instances: no GPU_UTIL / MEM_COPY_UTIL; those are left as they were). */
function rowValues(
  gpu: PhysicalGpu,
  slot: MigSlot | undefined,
  w: WorkloadSample,
  board: BoardReadings,
  v: RowValues,
): void {
  // A MIG instance has its profile's memory and no reservation.
  const usableMiB = slot
    ? slot.profile.memoryTotalMiB
    : gpu.model.memoryTotalMiB - gpu.model.memoryReservedMiB;
  const used = Math.min(usableMiB, Math.round(usableMiB * w.memoryFraction));
  const profZero = readsProfZero(slot ? slot.pattern : gpu.pattern);
  const gr = profZero ? 0 : ratio(w.utilPercent / 100);
  if (!slot) {
    v.utilizationPercent = percent(w.utilPercent);
    v.memoryCopyUtilizationPercent = percent(w.memCopyPercent);
  }
  v.memoryUsedMiB = used;
  v.memoryFreeMiB = usableMiB - used;
  v.memoryReservedMiB = slot ? 0 : gpu.model.memoryReservedMiB;
  v.powerWatts = board.powerWatts;
  v.powerLimitWatts = gpu.model.tdpWatts;
  v.smClockMHz = board.smClockMHz;
  v.temperatureCelsius = board.temperatureCelsius;
  v.grEngineActiveRatio = gr;
  v.dramActiveRatio = profZero ? 0 : ratio(w.memCopyPercent / 100);
  v.tensorActiveRatio = ratio(gr * w.tensorShare);
}

function row(
  gpu: PhysicalGpu,
  slot: MigSlot | undefined,
  board: BoardReadings,
  v: RowValues,
  energyMillijoules: number,
): SimGpu {
  const tenant = slot ? slot.tenant : gpu.tenant;
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
    pattern: slot ? slot.pattern : gpu.pattern,
    utilizationPercent: slot ? undefined : v.utilizationPercent,
    memoryCopyUtilizationPercent: slot ? undefined : v.memoryCopyUtilizationPercent,
    memoryUsedMiB: v.memoryUsedMiB,
    memoryFreeMiB: v.memoryFreeMiB,
    memoryReservedMiB: v.memoryReservedMiB,
    powerWatts: v.powerWatts,
    powerLimitWatts: v.powerLimitWatts,
    temperatureCelsius: v.temperatureCelsius,
    memoryTemperatureCelsius: board.memoryTemperatureCelsius,
    smClockMHz: v.smClockMHz,
    memClockMHz: gpu.model.memClockMHz,
    energyMillijoules,
    grEngineActiveRatio: v.grEngineActiveRatio,
    dramActiveRatio: v.dramActiveRatio,
    tensorActiveRatio: v.tensorActiveRatio,
    // Named one by one, not spread: spread keys land in a property array beside the object (slower, larger rows).
    xid: HEALTHY.xid,
    eccSbeVolatile: HEALTHY.eccSbeVolatile,
    eccDbeVolatile: HEALTHY.eccDbeVolatile,
    retiredPagesDbe: HEALTHY.retiredPagesDbe,
    correctableRemappedRows: HEALTHY.correctableRemappedRows,
    uncorrectableRemappedRows: HEALTHY.uncorrectableRemappedRows,
    rowRemapFailure: HEALTHY.rowRemapFailure,
    clocksEventReasons: HEALTHY.clocksEventReasons,
    pcieReplays: HEALTHY.pcieReplays,
    nvlinkCrcFlitErrors: HEALTHY.nvlinkCrcFlitErrors,
    nvlinkCrcDataErrors: HEALTHY.nvlinkCrcDataErrors,
    nvlinkReplayErrors: HEALTHY.nvlinkReplayErrors,
    nvlinkRecoveryErrors: HEALTHY.nvlinkRecoveryErrors,
  };
}
