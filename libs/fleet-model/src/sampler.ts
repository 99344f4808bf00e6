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

/**
 * The values a window averages (window.ts's WINDOW_FIELDS), in that order, one row after another in a Float64Array:
 * NaN where the exporter reports no such series. The object rows of `sampleGpu` read theirs from the same numbers,
 * so a window is computed from exactly the values `gpus()` reports, without building an object per row and bucket.
 */
export const WINDOW_VALUES = 11;
const [UTIL, MEM_COPY, USED, FREE, RESERVED, POWER, POWER_LIMIT, SM_CLOCK, TEMP, GR, DRAM] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
] as const;
/** One row's values while its object is built (sampling is synchronous, so one scratch row suffices). */
const SCRATCH = new Float64Array(WINDOW_VALUES);

/** Appends the rows of one physical GPU at `atMs` (bucket precomputed by the caller): 1 row, or 1 per MIG instance. */
export function sampleGpu(gpu: PhysicalGpu, bucket: number, atMs: number, out: SimGpu[]): void {
  const energyMillijoules = gpu.energy.energyAt(atMs);
  eachRow(gpu, bucket, (slot, w, board) => {
    const tensor = rowValues(gpu, slot, w, board, SCRATCH, 0);
    out.push(row(gpu, slot, board, SCRATCH, tensor, energyMillijoules));
  });
}

/**
 * Writes the window values of the GPU's rows in `bucket` into `out` from row `firstRow` on (as `sampleGpu` would
 * append them) and answers how many rows that was.
 */
export function sampleGpuWindowValues(
  gpu: PhysicalGpu,
  bucket: number,
  out: Float64Array,
  firstRow: number,
): number {
  let rows = 0;
  eachRow(gpu, bucket, (slot, w, board) => {
    rowValues(gpu, slot, w, board, out, (firstRow + rows++) * WINDOW_VALUES);
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

/** Writes one row's window values at `o`; answers its tensor-active ratio (reported, not averaged). */
function rowValues(
  gpu: PhysicalGpu,
  slot: MigSlot | undefined,
  w: WorkloadSample,
  board: BoardReadings,
  out: Float64Array,
  o: number,
): number {
  // A MIG instance has its profile's memory and no reservation; dcgm-exporter reports no GPU_UTIL / MEM_COPY_UTIL.
  const usableMiB = slot
    ? slot.profile.memoryTotalMiB
    : gpu.model.memoryTotalMiB - gpu.model.memoryReservedMiB;
  const used = Math.min(usableMiB, Math.round(usableMiB * w.memoryFraction));
  const profZero = readsProfZero(slot ? slot.pattern : gpu.pattern);
  const gr = profZero ? 0 : ratio(w.utilPercent / 100);
  out[o + UTIL] = slot ? NaN : percent(w.utilPercent);
  out[o + MEM_COPY] = slot ? NaN : percent(w.memCopyPercent);
  out[o + USED] = used;
  out[o + FREE] = usableMiB - used;
  out[o + RESERVED] = slot ? 0 : gpu.model.memoryReservedMiB;
  out[o + POWER] = board.powerWatts;
  out[o + POWER_LIMIT] = gpu.model.tdpWatts;
  out[o + SM_CLOCK] = board.smClockMHz;
  out[o + TEMP] = board.temperatureCelsius;
  out[o + GR] = gr;
  out[o + DRAM] = profZero ? 0 : ratio(w.memCopyPercent / 100);
  return ratio(gr * w.tensorShare);
}

function row(
  gpu: PhysicalGpu,
  slot: MigSlot | undefined,
  board: BoardReadings,
  v: Float64Array,
  tensorActiveRatio: number,
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
    utilizationPercent: slot ? undefined : v[UTIL],
    memoryCopyUtilizationPercent: slot ? undefined : v[MEM_COPY],
    memoryUsedMiB: v[USED]!,
    memoryFreeMiB: v[FREE]!,
    memoryReservedMiB: v[RESERVED]!,
    powerWatts: v[POWER]!,
    powerLimitWatts: v[POWER_LIMIT]!,
    temperatureCelsius: v[TEMP]!,
    memoryTemperatureCelsius: board.memoryTemperatureCelsius,
    smClockMHz: v[SM_CLOCK]!,
    memClockMHz: gpu.model.memClockMHz,
    energyMillijoules,
    grEngineActiveRatio: v[GR]!,
    dramActiveRatio: v[DRAM]!,
    tensorActiveRatio,
    ...HEALTHY,
  };
}
