import { classifyReading, type GpuWindowAggregate } from '@kcloud/metrics-source';
import { healthProblem } from './health-rule';
import { modelTdpWatts } from './power-limits';
import type { ScoreThresholds, ScoringConfig } from './scoring-config';

/** `unallocated`: listed but not scored (ANALYZER_ALLOCATED_ONLY and no pod holds the device). */
export type ScoreStatus = 'idle' | 'low' | 'normal' | 'high' | 'unknown' | 'unallocated';
export type UtilizationSource = 'GPU_UTIL' | 'GR_ENGINE_ACTIVE';
export type MemoryCopySource = 'MEM_COPY_UTIL' | 'DRAM_ACTIVE';
export type PowerSource = 'DEVICE' | 'PARENT_GPU';
export type PowerLimitSource = 'EXPORTER' | 'MODEL_TDP' | 'CONFIGURED_DEFAULT';

/** The four scored inputs, each 0–100 after clamping; absent when it could not be read. */
export interface ScoreInputs {
  readonly utilizationPercent?: number;
  readonly memoryCopyUtilizationPercent?: number;
  readonly memoryUsedPercent?: number;
  readonly powerPercent?: number;
}

/** Where each input came from (MIG instances read DCP fields and their parent's board power). */
export interface InputSources {
  readonly utilization?: UtilizationSource;
  readonly memoryCopy?: MemoryCopySource;
  readonly power?: PowerSource;
  readonly powerLimit?: PowerLimitSource;
}

export interface DeviceScore {
  /** Absent when the status is unknown: a GPU on bad data is never scored, not even as 0. */
  readonly score?: number;
  readonly status: ScoreStatus;
  /** Why the status is unknown, or why an idle status overrides the score's band. */
  readonly reason?: string;
  readonly inputs: ScoreInputs;
  readonly sources: InputSources;
  readonly powerLimitWatts?: number;
}

/** Rounding of averaged integer readings may land a hair outside 0–100; beyond this a value is not a reading. */
const PERCENT_SLACK = 0.5;
/** Power may exceed the limit briefly (limit changed, spikes); beyond this share it is a corrupt reading. */
const MAX_POWER_PERCENT = 150;
/** "Contradictory": one activity signal at or above this while the other is below 1 %. */
const CONTRADICTION_HIGH_PERCENT = 50;

/** idle < thresholds.idle ≤ low < thresholds.low ≤ normal < thresholds.high ≤ high. */
export function statusOf(score: number, t: ScoreThresholds): Exclude<ScoreStatus, 'unknown' | 'unallocated'> {
  if (score < t.idle) return 'idle';
  if (score < t.low) return 'low';
  if (score < t.high) return 'normal';
  return 'high';
}

/**
 * Scores one device from its window averages. Every way the data can be wrong — missing, NaN, out of range, a
 * corrupt sentinel, stale, or signals that contradict each other — yields status `unknown` with the reason, never a
 * score that would make a broken exporter look like an idle GPU.
 */
export function scoreDevice(a: GpuWindowAggregate, config: ScoringConfig, nowMs: number): DeviceScore {
  const problems: string[] = [];
  const isMig = a.migInstanceId !== undefined;
  const percentOf = (ratio: number | undefined) => (ratio === undefined ? undefined : ratio * 100);

  const refused = refusedReadings(a);
  // MIG instances report no GPU_UTIL / MEM_COPY_UTIL (or 0): the DCP engine ratios are their activity signals. A
  // primary reading the source refused is bad data, as it was when it arrived corrupt: no fallback hides it.
  const util = pick<UtilizationSource>(
    isMig ? undefined : a.utilizationPercent,
    'GPU_UTIL',
    percentOf(a.grEngineActiveRatio),
    'GR_ENGINE_ACTIVE',
    !isMig && refused(['utilizationPercent']) !== undefined,
  );
  const copy = pick<MemoryCopySource>(
    isMig ? undefined : a.memoryCopyUtilizationPercent,
    'MEM_COPY_UTIL',
    percentOf(a.dramActiveRatio),
    'DRAM_ACTIVE',
    !isMig && refused(['memoryCopyUtilizationPercent']) !== undefined,
  );
  const limit = powerLimitOf(a, config);

  const utilizationPercent = checkPercent(
    'utilization',
    util.value,
    100,
    problems,
    undefined,
    refused(isMig ? [] : ['utilizationPercent'], ['grEngineActiveRatio']),
  );
  const memoryCopyUtilizationPercent = checkPercent(
    'memory copy utilization',
    copy.value,
    100,
    problems,
    a.notExported?.memoryCopyUtilizationPercent,
    refused(isMig ? [] : ['memoryCopyUtilizationPercent'], ['dramActiveRatio']),
  );
  const memoryUsedPercent = checkPercent(
    'memory used',
    memoryUsedPercentOf(a, problems),
    100,
    problems,
    undefined,
    refused(['memoryUsedMiB', 'memoryFreeMiB']),
  );
  const powerPercent = checkPercent(
    'power',
    a.powerWatts === undefined || !Number.isFinite(a.powerWatts)
      ? a.powerWatts
      : (a.powerWatts / limit.watts) * 100,
    MAX_POWER_PERCENT,
    problems,
    undefined,
    refused(['powerWatts']),
  );
  const inputs = { utilizationPercent, memoryCopyUtilizationPercent, memoryUsedPercent, powerPercent };
  const sources: InputSources = {
    utilization: util.source,
    memoryCopy: copy.source,
    power: a.powerWatts === undefined ? undefined : isMig ? 'PARENT_GPU' : 'DEVICE',
    powerLimit: limit.source,
  };

  // A failing device's numbers are not evidence of use or idleness (critical XID, double-bit ECC).
  const failing = healthProblem(a);
  if (failing) problems.push(failing);
  const contradiction = isMig ? undefined : contradictionOf(a);
  if (contradiction) problems.push(contradiction);
  const ageSeconds = (nowMs - a.observedAt.getTime()) / 1000;
  if (ageSeconds > config.stalenessSeconds)
    problems.push(
      `stale: newest sample is ${Math.round(ageSeconds)} s old (limit ${config.stalenessSeconds} s)`,
    );

  const base = { inputs, sources, powerLimitWatts: limit.watts };
  if (problems.length) return { ...base, status: 'unknown', reason: problems.join('; ') };

  const w = config.weights;
  const score =
    w.utilization * utilizationPercent! +
    w.memoryCopy * memoryCopyUtilizationPercent! +
    w.memoryUsed * memoryUsedPercent! +
    w.power * powerPercent!;
  const status = statusOf(score, config.thresholds);
  const floor = config.idleActivityPercent;
  if (status !== 'idle' && utilizationPercent! < floor && memoryCopyUtilizationPercent! < floor) {
    const reason =
      `no compute activity over the window (utilization ${round1(utilizationPercent!)} %, memory copy ` +
      `${round1(memoryCopyUtilizationPercent!)} %); held memory and idle power are not use`;
    return { ...base, score, status: 'idle', reason };
  }
  return { ...base, score, status };
}

/**
 * The reason the source refused one of a signal's readings: the primary fields', else the fallback's (a MIG
 * instance's engine ratios). Undefined when nothing was refused.
 */
function refusedReadings(a: GpuWindowAggregate) {
  const reasonOf = (fields: readonly string[]) =>
    a.invalidReadings?.find((r) => fields.includes(r.field))?.reason;
  return (primary: readonly string[], fallback: readonly string[] = []): string | undefined =>
    reasonOf(primary) ?? reasonOf(fallback);
}

function pick<S extends string>(
  primary: number | undefined,
  primarySource: S,
  fallback: number | undefined,
  fallbackSource: S,
  primaryRefused = false,
): { value?: number; source?: S } {
  if (primary !== undefined || primaryRefused) return { value: primary, source: primarySource };
  if (fallback !== undefined) return { value: fallback, source: fallbackSource };
  return {};
}

function powerLimitOf(
  a: GpuWindowAggregate,
  config: ScoringConfig,
): { watts: number; source: PowerLimitSource } {
  const exported = a.powerLimitWatts;
  // A sentinel or impossible limit is not a limit; the model table is used instead.
  if (exported !== undefined && exported > 0 && classifyReading('powerLimitWatts', exported).ok)
    return { watts: exported, source: 'EXPORTER' };
  const tdp = modelTdpWatts(a.model);
  if (tdp !== undefined) return { watts: tdp, source: 'MODEL_TDP' };
  return { watts: config.defaultPowerLimitWatts, source: 'CONFIGURED_DEFAULT' };
}

/** FB_USED / (FB_USED + FB_FREE + FB_RESERVED when exported) × 100. */
function memoryUsedPercentOf(a: GpuWindowAggregate, problems: string[]): number | undefined {
  const { memoryUsedMiB: used, memoryFreeMiB: free, memoryReservedMiB: reserved = 0 } = a;
  if (used === undefined || free === undefined) return undefined;
  const parts = [used, free, reserved];
  if (parts.some((v) => Number.isNaN(v))) return NaN;
  // An average holding a sentinel (e.g. 4294967295) is far beyond any framebuffer: the shared classifier says so.
  if (parts.some((v) => !classifyReading('memoryUsedMiB', v).ok)) {
    problems.push(`memory used: corrupt framebuffer reading (used ${used} MiB, free ${free} MiB)`);
    return undefined;
  }
  const total = used + free + reserved;
  return total > 0 ? (used / total) * 100 : undefined;
}

/**
 * Clamps a value within rounding slack of 0–100 (or up to `max` for power); reports missing, NaN and values beyond
 * the slack as problems and returns undefined for them.
 */
function checkPercent(
  name: string,
  value: number | undefined,
  max: number,
  problems: string[],
  /** Why the exporter never provides this signal, when it does not. */
  notExported?: string,
  /** The reading-quality reason when the source refused the window's reading. */
  refusedReason?: string,
): number | undefined {
  if (value === undefined) {
    problems.push(
      `${name}: ${
        refusedReason
          ? `refused reading (${refusedReason})`
          : notExported
            ? `not exported (${notExported})`
            : 'no samples in the window'
      }`,
    );
    return undefined;
  }
  if (Number.isNaN(value)) {
    problems.push(`${name}: reading is NaN`);
    return undefined;
  }
  if (!Number.isFinite(value) || value < -PERCENT_SLACK || value > max + PERCENT_SLACK) {
    problems.push(`${name}: corrupt reading (${round1(value)} % is outside 0–${max})`);
    return undefined;
  }
  return Math.min(100, Math.max(0, value));
}

/** GR_ENGINE_ACTIVE ≈ 0 while GPU_UTIL is high (or the reverse): one of the two is lying; trust neither. */
function contradictionOf(a: GpuWindowAggregate): string | undefined {
  const util = a.utilizationPercent;
  const gr = a.grEngineActiveRatio === undefined ? undefined : a.grEngineActiveRatio * 100;
  if (util === undefined || gr === undefined || !Number.isFinite(util) || !Number.isFinite(gr))
    return undefined;
  if ((util >= CONTRADICTION_HIGH_PERCENT && gr < 1) || (gr >= CONTRADICTION_HIGH_PERCENT && util < 1))
    return `contradictory signals: GPU_UTIL ${round1(util)} % while GR_ENGINE_ACTIVE ${round1(gr)} %`;
  return undefined;
}

const round1 = (v: number): number => Math.round(v * 10) / 10;
