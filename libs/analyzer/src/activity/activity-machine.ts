import { GpuActivityState } from './activity-state';

/** Hysteresis settings (IDLE_*), in seconds and percent. */
export interface HysteresisSettings {
  /** Activity below this counts toward entering an idle state. */
  readonly enterPercent: number;
  /** Activity above this counts toward leaving an idle state (> enterPercent: the band between holds the state). */
  readonly exitPercent: number;
  readonly enterSeconds: number;
  readonly exitSeconds: number;
  /** A pod the analyzer saw arrive is not judged idle before this much time has passed. */
  readonly graceSeconds: number;
}

/** What one cycle observed of one device. */
export interface ActivityObservation {
  readonly nowMs: number;
  /** The window the activity was averaged over; a quiet window is quiet evidence from its start. */
  readonly windowSeconds: number;
  /** Activity 0–100 over the window; absent when the data cannot be trusted (`unknownReason` says why). */
  readonly activityPercent?: number;
  readonly unknownReason?: string;
  /** The pods holding the device, as one stable key; absent when no pod holds it. */
  readonly tenantKey?: string;
  /** Whether the holder keeps framebuffer memory allocated (IDLE_HELD vs IDLE_ALLOCATED). */
  readonly memoryHeld: boolean;
}

/** The state and evidence kept per device between cycles (persisted with the analyzer state: plain JSON). */
export interface ActivityEvidence {
  readonly state: GpuActivityState;
  readonly sinceMs: number;
  readonly reason?: string;
  /** Start of the current run of quiet windows (activity < enter), already moved past a new pod's grace. */
  readonly quietSinceMs?: number;
  /** Start of the current run of busy windows (activity > exit), while idle. */
  readonly busySinceMs?: number;
  readonly tenantKey?: string;
  /** When the analyzer saw the current holder arrive; absent when it was already there at first sighting. */
  readonly tenantSinceMs?: number;
  /** The last known (not UNKNOWN) state, resumed when trustworthy data returns. */
  readonly lastKnown?: GpuActivityState;
}

const IDLE_STATES: readonly GpuActivityState[] = [
  GpuActivityState.IDLE_HELD,
  GpuActivityState.IDLE_ALLOCATED,
];

/**
 * One step of the per-device state machine (issue 16, item 3), fed once per analyzer cycle.
 *
 * - Data that cannot be trusted makes the device UNKNOWN at once (a broken exporter is never an idle GPU); when
 *   good data returns, the last known state resumes and its evidence starts afresh.
 * - No pod: UNALLOCATED at once (allocation is a fact, not a noisy signal).
 * - Allocated: enters IDLE_HELD / IDLE_ALLOCATED only when the activity has stayed below `enterPercent` for
 *   `enterSeconds` (counted from the start of the first quiet window, but not before a newly arrived pod's grace
 *   ends); leaves it only when the activity has stayed above `exitPercent` for `exitSeconds` (counted from the first
 *   busy cycle: a short burst inside a long window must not end an idle state). Between the two bands the state holds,
 *   so a data-loader stall or a quiet gap in inference does not flip it.
 */
export function stepActivity(
  prev: ActivityEvidence | undefined,
  o: ActivityObservation,
  s: HysteresisSettings,
): ActivityEvidence {
  const tenantChanged = prev !== undefined && prev.tenantKey !== o.tenantKey;
  // A holder already there at first sighting may be old: only a pod seen to arrive gets a grace period.
  const tenantSinceMs = tenantChanged && o.tenantKey !== undefined ? o.nowMs : prev?.tenantSinceMs;
  const tenant = {
    tenantKey: o.tenantKey,
    tenantSinceMs: o.tenantKey === undefined ? undefined : tenantSinceMs,
  };
  const lastKnown = prev?.state === GpuActivityState.UNKNOWN ? prev.lastKnown : prev?.state;
  const enter = (state: GpuActivityState, reason?: string, rest: Partial<ActivityEvidence> = {}) => ({
    ...tenant,
    ...rest,
    state,
    sinceMs: prev?.state === state ? prev.sinceMs : o.nowMs,
    reason,
  });

  if (o.activityPercent === undefined)
    return enter(GpuActivityState.UNKNOWN, o.unknownReason ?? 'no activity signal', { lastKnown });
  if (o.tenantKey === undefined) return enter(GpuActivityState.UNALLOCATED);

  // The state the evidence continues from: a new holder starts ACTIVE, an UNKNOWN spell resumes the last known one.
  const resumed = tenantChanged
    ? undefined
    : prev?.state === GpuActivityState.UNKNOWN
      ? prev.lastKnown
      : prev?.state;
  const fresh = resumed !== prev?.state; // the previous evidence does not carry over
  const from =
    resumed === undefined || resumed === GpuActivityState.UNALLOCATED ? GpuActivityState.ACTIVE : resumed;
  const idleState = o.memoryHeld ? GpuActivityState.IDLE_HELD : GpuActivityState.IDLE_ALLOCATED;
  const a = o.activityPercent;

  if (IDLE_STATES.includes(from)) {
    const busySinceMs = a > s.exitPercent ? ((fresh ? undefined : prev?.busySinceMs) ?? o.nowMs) : undefined;
    if (busySinceMs !== undefined && o.nowMs - busySinceMs >= s.exitSeconds * 1000)
      return enter(GpuActivityState.ACTIVE);
    const quietSinceMs = fresh ? undefined : prev?.quietSinceMs;
    return enter(idleState, idleReason(o.memoryHeld, a, s), { busySinceMs, quietSinceMs });
  }

  if (a >= s.enterPercent) return enter(GpuActivityState.ACTIVE);
  const graceEndMs = tenantSinceMs === undefined ? -Infinity : tenantSinceMs + s.graceSeconds * 1000;
  const quietStart = (fresh ? undefined : prev?.quietSinceMs) ?? o.nowMs - o.windowSeconds * 1000;
  const quietSinceMs = Math.max(quietStart, graceEndMs);
  if (o.nowMs - quietSinceMs >= s.enterSeconds * 1000)
    return enter(idleState, idleReason(o.memoryHeld, a, s), { quietSinceMs });
  const inGrace = graceEndMs > o.nowMs;
  const graceReason = inGrace
    ? `grace period of a new pod until ${new Date(graceEndMs).toISOString()}`
    : undefined;
  return enter(GpuActivityState.ACTIVE, graceReason, { quietSinceMs });
}

function idleReason(held: boolean, activity: number, s: HysteresisSettings): string {
  return (
    `activity below ${s.enterPercent} % for at least ${s.enterSeconds} s (now ${Math.round(activity * 10) / 10} %)` +
    (held ? '; framebuffer memory held' : '; no framebuffer memory held')
  );
}
