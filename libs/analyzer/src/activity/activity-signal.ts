import type { GpuWindowAggregate } from '@kcloud/metrics-source';

export type ActivitySource = 'GR_ENGINE_ACTIVE' | 'GPU_UTIL';

/** The activity of one device over one window: a percentage and where it came from, or why there is none. */
export interface ActivitySignal {
  /** 0–100; absent when no signal can be trusted (then `reason` says why and the device is UNKNOWN). */
  readonly percent?: number;
  readonly source?: ActivitySource;
  /** Why the signal is absent, or why it is not the preferred one. */
  readonly reason?: string;
}

export interface SignalThresholds {
  /** Activity at or above this is "work" when cross-checking two signals (IDLE_ACTIVITY_EXIT_PERCENT). */
  readonly workPercent: number;
  /** Board power this share of the limit above the GPU's own idle baseline is work (a busy GPU draws far more). */
  readonly powerWorkFraction: number;
}

/** Rounding of averaged integer readings may land a hair outside 0–100; beyond this a value is not a reading. */
const PERCENT_SLACK = 0.5;

/**
 * The activity signal of one device (issue 16, item 1). DCGM_FI_PROF_GR_ENGINE_ACTIVE is preferred: it is what the
 * SMs did, it exists per MIG instance, and GPU_UTIL counts a GPU "utilised" when any kernel ran in the sample
 * period. It is cross-checked on whole GPUs: a profiling module that reads 0 (profiling locked by another tool, a
 * DCGM bug) while GPU_UTIL shows work must not make a working GPU idle, so GPU_UTIL is used with the reason; when
 * every activity field reads ~0 but board power stands well above the GPU's own idle baseline, the signals
 * contradict each other and none is trusted. MIG instances carry their parent's board power, so it says nothing
 * about one instance and is not used there.
 */
export function activitySignal(
  a: GpuWindowAggregate,
  powerLimitWatts: number | undefined,
  idleBaselineWatts: number | undefined,
  t: SignalThresholds,
): ActivitySignal {
  const isMig = a.migInstanceId !== undefined;
  const refused = (field: string) => a.invalidReadings?.find((r) => r.field === field)?.reason;
  const prof = percentOf(a.grEngineActiveRatio === undefined ? undefined : a.grEngineActiveRatio * 100);
  const util = isMig ? undefined : percentOf(a.utilizationPercent);
  if (prof === 'corrupt' || util === 'corrupt')
    return {
      reason: `corrupt activity reading (${prof === 'corrupt' ? `GR_ENGINE_ACTIVE ${a.grEngineActiveRatio}` : `GPU_UTIL ${a.utilizationPercent} %`})`,
    };
  const profRefused = refused('grEngineActiveRatio');
  const utilRefused = isMig ? undefined : refused('utilizationPercent');
  if (prof === undefined && util === undefined)
    return {
      reason:
        profRefused || utilRefused
          ? `activity reading refused (${profRefused ?? utilRefused})`
          : 'no activity signal in the window (neither GR_ENGINE_ACTIVE nor GPU_UTIL)',
    };

  const powerAbove = powerAboveBaseline(a, isMig, powerLimitWatts, idleBaselineWatts, t);
  if (prof !== undefined && prof >= t.workPercent) return { percent: prof, source: 'GR_ENGINE_ACTIVE' };
  if (util !== undefined && util >= t.workPercent)
    return {
      percent: util,
      source: 'GPU_UTIL',
      reason:
        prof === undefined
          ? undefined
          : `GR_ENGINE_ACTIVE reads ${round1(prof)} % while GPU_UTIL reads ${round1(util)} %: using GPU_UTIL`,
    };
  if (powerAbove !== undefined)
    return {
      reason:
        `contradictory signals: activity reads ${round1(prof ?? util ?? 0)} % while board power is ` +
        `${Math.round(powerAbove)} W above the GPU's idle baseline`,
    };
  return prof !== undefined
    ? { percent: prof, source: 'GR_ENGINE_ACTIVE' }
    : { percent: util, source: 'GPU_UTIL' };
}

/**
 * The lowest window-average board power seen on a whole GPU: its own idle draw (models, clocks and fans differ, so no
 * table value fits every board). Undefined for MIG instances and until a power reading arrives.
 */
export function nextIdleBaseline(
  a: GpuWindowAggregate,
  previousWatts: number | undefined,
): number | undefined {
  const p = a.powerWatts;
  if (a.migInstanceId !== undefined || p === undefined || !Number.isFinite(p) || p < 0) return previousWatts;
  return previousWatts === undefined ? p : Math.min(previousWatts, p);
}

/** Watts above the idle baseline when they amount to work; undefined otherwise or when it cannot be told. */
function powerAboveBaseline(
  a: GpuWindowAggregate,
  isMig: boolean,
  limit: number | undefined,
  baseline: number | undefined,
  t: SignalThresholds,
): number | undefined {
  const p = a.powerWatts;
  if (isMig || p === undefined || !Number.isFinite(p) || baseline === undefined || !limit) return undefined;
  const above = p - baseline;
  return above > t.powerWorkFraction * limit ? above : undefined;
}

function percentOf(v: number | undefined): number | 'corrupt' | undefined {
  if (v === undefined) return undefined;
  if (!Number.isFinite(v) || v < -PERCENT_SLACK || v > 100 + PERCENT_SLACK) return 'corrupt';
  return Math.min(100, Math.max(0, v));
}

const round1 = (v: number): number => Math.round(v * 10) / 10;
