import type { GpuTenant, GpuWindowAggregate } from '@kcloud/metrics-source';
import type { DeviceScore } from '../scoring/scoring';
import { type ActivityEvidence, stepActivity } from './activity-machine';
import type { ActivitySettings } from './activity-settings';
import { type ActivitySource, activitySignal, nextIdleBaseline } from './activity-signal';

/** A device's activity state, its evidence, and the signal of the latest window (kept on its ScoreRecord). */
export interface DeviceActivity extends ActivityEvidence {
  /** The activity of the latest window, 0–100. */
  readonly activityPercent?: number;
  readonly source?: ActivitySource;
  /** Why the signal is not the preferred one (e.g. PROF fields read 0 while GPU_UTIL shows work). */
  readonly signalNote?: string;
  /** The lowest window-average board power seen on this GPU (its own idle draw). */
  readonly idleBaselineWatts?: number;
}

export interface ActivityInput {
  readonly aggregate: GpuWindowAggregate;
  readonly score: DeviceScore;
  readonly previous?: DeviceActivity;
  /** The device's readings stayed identical for DATA_FROZEN_SAMPLES scrapes (the data-quality layer says so). */
  readonly frozenReason?: string;
  readonly nowMs: number;
  readonly windowSeconds: number;
  readonly stalenessSeconds: number;
}

/** One cycle of one device: signal, trust, allocation, then the hysteresis step. */
export function nextDeviceActivity(i: ActivityInput, s: ActivitySettings): DeviceActivity {
  const a = i.aggregate;
  const idleBaselineWatts = nextIdleBaseline(a, i.previous?.idleBaselineWatts);
  const signal = activitySignal(a, i.score.powerLimitWatts, i.previous?.idleBaselineWatts, {
    workPercent: s.exitPercent,
    powerWorkFraction: s.powerWorkFraction,
  });
  const ageSeconds = (i.nowMs - a.observedAt.getTime()) / 1000;
  const memoryUsed = i.score.inputs.memoryUsedPercent;
  const unknownReason =
    ageSeconds > i.stalenessSeconds
      ? `stale: newest sample is ${Math.round(ageSeconds)} s old (limit ${i.stalenessSeconds} s)`
      : (i.frozenReason ??
        (signal.percent === undefined ? signal.reason : undefined) ??
        (memoryUsed === undefined ? 'framebuffer memory used could not be read' : undefined));
  const evidence = stepActivity(
    i.previous,
    {
      nowMs: i.nowMs,
      windowSeconds: i.windowSeconds,
      activityPercent: unknownReason === undefined ? signal.percent : undefined,
      unknownReason,
      tenantKey: tenantKeyOf(a.tenants),
      memoryHeld: (memoryUsed ?? 0) >= s.memoryHeldPercent,
    },
    s,
  );
  return {
    ...evidence,
    activityPercent: signal.percent,
    source: signal.source,
    signalNote: signal.percent !== undefined ? signal.reason : undefined,
    idleBaselineWatts,
  };
}

/** The holders of a device as one key; absent when no pod holds it. Time-sliced pods are listed in a stable order. */
export function tenantKeyOf(tenants: readonly GpuTenant[]): string | undefined {
  const keys = tenants.filter((t) => t.pod).map((t) => `${t.namespace ?? ''}/${t.pod}`);
  return keys.length ? [...new Set(keys)].sort().join(',') : undefined;
}
