import {
  type ActivityEvidence,
  type ActivityObservation,
  type HysteresisSettings,
  stepActivity,
} from './activity-machine';
import { GpuActivityState as S } from './activity-state';

const SETTINGS: HysteresisSettings = {
  enterPercent: 5,
  exitPercent: 10,
  enterSeconds: 1800,
  exitSeconds: 300,
  graceSeconds: 600,
};
const T0 = Date.parse('2026-12-06T00:00:00Z');
const WINDOW = 600;
const INTERVAL = 60;

/** Feeds one observation per minute; returns the evidence after each. */
function run(
  activity: (minute: number) => number | undefined,
  minutes: number,
  opts: { tenant?: (minute: number) => string | undefined; held?: boolean; start?: ActivityEvidence } = {},
): ActivityEvidence[] {
  const out: ActivityEvidence[] = [];
  let e = opts.start;
  for (let m = 0; m < minutes; m++) {
    const a = activity(m);
    const o: ActivityObservation = {
      nowMs: T0 + m * INTERVAL * 1000,
      windowSeconds: WINDOW,
      activityPercent: a,
      unknownReason: a === undefined ? 'frozen: identical readings' : undefined,
      tenantKey: opts.tenant ? opts.tenant(m) : 'ns/pod',
      memoryHeld: opts.held ?? true,
    };
    e = stepActivity(e, o, SETTINGS);
    out.push(e);
  }
  return out;
}

const changes = (es: readonly ActivityEvidence[]) =>
  es.filter((e, i) => i > 0 && e.state !== es[i - 1]!.state).length;
const firstIdx = (es: readonly ActivityEvidence[], state: S) => es.findIndex((e) => e.state === state);

describe('stepActivity (hysteresis)', () => {
  it('enters IDLE_HELD once activity stayed below the enter band for IDLE_ENTER_SECONDS, counting the first quiet window', () => {
    const es = run(() => 0, 60);
    // The first quiet window already covers 600 s; 1800 s are reached 1200 s (20 cycles) later.
    expect(firstIdx(es, S.IDLE_HELD)).toBe(20);
    expect(es.slice(0, 20).every((e) => e.state === S.ACTIVE)).toBe(true);
    expect(es[20]!.sinceMs).toBe(T0 + 20 * 60_000);
    expect(es[59]!.sinceMs).toBe(es[20]!.sinceMs);
    expect(es[59]!.reason).toMatch(/below 5 % for at least 1800 s.*memory held/);
  });

  it('enters IDLE_ALLOCATED when the holder keeps no framebuffer memory', () => {
    expect(run(() => 0, 30, { held: false })[29]!.state).toBe(S.IDLE_ALLOCATED);
  });

  it('never enters idle when quiet gaps are shorter than the enter time (inference, data-loader stalls)', () => {
    // 20 quiet minutes, 5 busy ones, repeated for 10 hours.
    const es = run((m) => (m % 25 < 20 ? 1 : 70), 600);
    expect(es.every((e) => e.state === S.ACTIVE)).toBe(true);
  });

  it('a quiet run is broken by one window at or above the enter percent', () => {
    const es = run((m) => (m === 15 ? 5 : 0), 40);
    expect(es[15]!.quietSinceMs).toBeUndefined();
    // After the break the evidence restarts from the next quiet window: 600 s + 20 cycles later.
    expect(firstIdx(es, S.IDLE_HELD)).toBe(16 + 20);
  });

  it('activity between the bands holds either state', () => {
    const active = run(() => 7, 120);
    expect(active.every((e) => e.state === S.ACTIVE)).toBe(true);
    const idle = run((m) => (m < 30 ? 0 : 7), 120);
    expect(idle[119]!.state).toBe(S.IDLE_HELD);
    expect(changes(idle)).toBe(1);
  });

  it('leaves idle only after activity stayed above the exit band for IDLE_EXIT_SECONDS', () => {
    const es = run((m) => (m < 30 ? 0 : 50), 60);
    // Busy from minute 30: 300 s later (minute 35) it is ACTIVE, not before.
    expect(es[34]!.state).toBe(S.IDLE_HELD);
    expect(es[35]!.state).toBe(S.ACTIVE);
    expect(es[35]!.sinceMs).toBe(T0 + 35 * 60_000);
  });

  it('a burst shorter than the exit time does not end an idle state (a notebook cell run)', () => {
    const es = run((m) => (m >= 40 && m < 44 ? 90 : 0), 80);
    expect(es.slice(20).every((e) => e.state === S.IDLE_HELD)).toBe(true);
    expect(es[44]!.busySinceMs).toBeUndefined();
  });

  it('makes at most one change per hour on a steady noisy idle pattern and on a steady noisy busy one', () => {
    const noisyIdle = run((m) => ((m * 7919) % 13) / 3, 600); // 0–4 %, never above enter
    expect(changes(noisyIdle)).toBe(1);
    const noisyBusy = run((m) => 40 + ((m * 7919) % 50), 600);
    expect(changes(noisyBusy)).toBe(0);
  });

  it('UNALLOCATED at once when no pod holds the device, whatever the activity', () => {
    const es = run(() => 0, 5, { tenant: () => undefined });
    expect(es.map((e) => e.state)).toEqual(Array(5).fill(S.UNALLOCATED));
    expect(es[4]!.sinceMs).toBe(T0);
  });

  it('UNKNOWN at once on untrusted data, with the reason, and resumes the last known state afterwards', () => {
    const es = run((m) => (m >= 30 && m < 33 ? undefined : 0), 60);
    expect(es[29]!.state).toBe(S.IDLE_HELD);
    expect(es[30]!.state).toBe(S.UNKNOWN);
    expect(es[30]!.reason).toBe('frozen: identical readings');
    expect(es[32]!.state).toBe(S.UNKNOWN);
    expect(es[33]!.state).toBe(S.IDLE_HELD);
    expect(es[33]!.sinceMs).toBe(T0 + 33 * 60_000);
    // Resumed idle still needs the exit time to leave.
    const busy = run((m) => (m >= 30 && m < 33 ? undefined : m < 33 ? 0 : 80), 60);
    expect(busy[33]!.state).toBe(S.IDLE_HELD);
    expect(busy[38]!.state).toBe(S.ACTIVE);
  });

  it('gives a pod it saw arrive IDLE_GRACE_SECONDS before counting quiet time', () => {
    // Unallocated for 10 minutes, then a pod arrives and does nothing.
    const es = run(() => 0, 80, { tenant: (m) => (m < 10 ? undefined : 'ns/new') });
    expect(es[9]!.state).toBe(S.UNALLOCATED);
    expect(es[10]!.state).toBe(S.ACTIVE);
    expect(es[10]!.tenantSinceMs).toBe(T0 + 10 * 60_000);
    expect(es[10]!.reason).toBe('grace period of a new pod until 2026-12-06T00:20:00.000Z');
    expect(es[20]!.reason).toBeUndefined();
    // Grace ends at minute 20; 1800 s of quiet after it: minute 50.
    expect(firstIdx(es, S.IDLE_HELD)).toBe(50);
  });

  it('does not give a grace period to a holder already there when the device is first seen', () => {
    const es = run(() => 0, 30);
    expect(es[0]!.tenantSinceMs).toBeUndefined();
    expect(firstIdx(es, S.IDLE_HELD)).toBe(20);
  });

  it('starts afresh when another pod takes the device', () => {
    const es = run(() => 0, 80, { tenant: (m) => (m < 30 ? 'ns/a' : 'ns/b') });
    expect(es[29]!.state).toBe(S.IDLE_HELD);
    expect(es[30]!.state).toBe(S.ACTIVE);
    expect(es[30]!.tenantKey).toBe('ns/b');
    expect(firstIdx(es.slice(30), S.IDLE_HELD) + 30).toBe(70); // grace to 40, then 30 minutes
  });

  it('moves between IDLE_HELD and IDLE_ALLOCATED as memory is freed, without waiting', () => {
    let e = run(() => 0, 30)[29];
    e = stepActivity(
      e,
      {
        nowMs: T0 + 30 * 60_000,
        windowSeconds: WINDOW,
        activityPercent: 0,
        tenantKey: 'ns/pod',
        memoryHeld: false,
      },
      SETTINGS,
    );
    expect(e.state).toBe(S.IDLE_ALLOCATED);
  });

  it('enters at once when one window is longer than the enter time', () => {
    const e = stepActivity(
      undefined,
      { nowMs: T0, windowSeconds: 3600, activityPercent: 0, tenantKey: 'ns/p', memoryHeld: true },
      SETTINGS,
    );
    expect(e.state).toBe(S.IDLE_HELD);
  });

  it('keeps only plain JSON (it is persisted with the analyzer state)', () => {
    const es = run((m) => (m < 30 ? 0 : 50), 40);
    for (const e of es) expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });
});
