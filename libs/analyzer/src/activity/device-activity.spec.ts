import type { GpuWindowAggregate } from '@kcloud/metrics-source';
import type { DeviceScore } from '../scoring/scoring';
import type { ActivitySettings } from './activity-settings';
import { nextDeviceActivity, tenantKeyOf } from './device-activity';

const NOW = Date.parse('2026-12-06T00:00:00Z');
const SETTINGS: ActivitySettings = {
  enterPercent: 5,
  exitPercent: 10,
  enterSeconds: 600,
  exitSeconds: 60,
  graceSeconds: 0,
  memoryHeldPercent: 2,
  powerWorkFraction: 0.25,
};
const aggregate = (over: Partial<GpuWindowAggregate> = {}): GpuWindowAggregate => ({
  cluster: 'c',
  node: 'n',
  uuid: 'GPU-1',
  index: 0,
  model: 'NVIDIA A100 80GB PCIe',
  tenants: [{ namespace: 'ns', pod: 'p' }],
  utilizationPercent: 0,
  grEngineActiveRatio: 0,
  powerWatts: 60,
  observedAt: new Date(NOW),
  ...over,
});
const score = (memoryUsedPercent: number | undefined): DeviceScore => ({
  status: 'idle',
  inputs: { memoryUsedPercent },
  sources: {},
  powerLimitWatts: 300,
});
const step = (over: Partial<Parameters<typeof nextDeviceActivity>[0]> = {}) =>
  nextDeviceActivity(
    {
      aggregate: aggregate(),
      score: score(70),
      nowMs: NOW,
      windowSeconds: 600,
      stalenessSeconds: 180,
      ...over,
    },
    SETTINGS,
  );

describe('nextDeviceActivity', () => {
  it('an allocated quiet GPU holding memory becomes IDLE_HELD; one holding a CUDA context only, IDLE_ALLOCATED', () => {
    expect(step().state).toBe('IDLE_HELD');
    expect(step({ score: score(1.5) }).state).toBe('IDLE_ALLOCATED');
  });

  it('is UNKNOWN with the reason on stale, frozen or untrustworthy data, before anything else', () => {
    const stale = step({ aggregate: aggregate({ observedAt: new Date(NOW - 600_000) }) });
    expect(stale).toMatchObject({
      state: 'UNKNOWN',
      reason: 'stale: newest sample is 600 s old (limit 180 s)',
    });
    expect(step({ frozenReason: 'frozen: readings identical for 10 scrapes' })).toMatchObject({
      state: 'UNKNOWN',
      reason: 'frozen: readings identical for 10 scrapes',
    });
    expect(
      step({ aggregate: aggregate({ utilizationPercent: undefined, grEngineActiveRatio: undefined }) })
        .reason,
    ).toMatch(/no activity signal/);
    expect(step({ score: score(undefined) }).reason).toBe('framebuffer memory used could not be read');
    // All PROF fields and GPU_UTIL at 0 while the board draws far above its own idle power: not idle.
    const previous = step();
    const hot = step({ previous, aggregate: aggregate({ powerWatts: 250 }) });
    expect(hot.state).toBe('UNKNOWN');
    expect(hot.reason).toMatch(/contradictory signals/);
  });

  it('keeps the lowest board power as the GPU’s idle baseline across cycles', () => {
    const first = step({ aggregate: aggregate({ powerWatts: 90 }) });
    const second = step({ previous: first, aggregate: aggregate({ powerWatts: 70 }) });
    const third = step({ previous: second, aggregate: aggregate({ powerWatts: 85 }) });
    expect([first, second, third].map((a) => a.idleBaselineWatts)).toEqual([90, 70, 70]);
  });

  it('notes the fallback to GPU_UTIL while the PROF field reads 0, and stays ACTIVE', () => {
    const a = step({ aggregate: aggregate({ utilizationPercent: 93, powerWatts: 260 }) });
    expect(a).toMatchObject({ state: 'ACTIVE', source: 'GPU_UTIL', activityPercent: 93 });
    expect(a.signalNote).toMatch(/using GPU_UTIL/);
  });

  it('UNALLOCATED without a pod', () => {
    expect(step({ aggregate: aggregate({ tenants: [] }) }).state).toBe('UNALLOCATED');
  });
});

describe('tenantKeyOf', () => {
  it('is stable whatever the order of time-sliced holders, and absent without a pod', () => {
    expect(
      tenantKeyOf([
        { namespace: 'b', pod: 'y' },
        { namespace: 'a', pod: 'x' },
      ]),
    ).toBe('a/x,b/y');
    expect(
      tenantKeyOf([
        { namespace: 'a', pod: 'x' },
        { namespace: 'b', pod: 'y' },
      ]),
    ).toBe('a/x,b/y');
    expect(tenantKeyOf([])).toBeUndefined();
    expect(tenantKeyOf([{ namespace: 'a' }])).toBeUndefined();
  });
});
