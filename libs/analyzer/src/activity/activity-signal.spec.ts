import { InvalidReadingReason, type GpuWindowAggregate } from '@kcloud/metrics-source';
import { activitySignal, nextIdleBaseline } from './activity-signal';

const T = { workPercent: 10, powerWorkFraction: 0.25 };
const gpu = (over: Partial<GpuWindowAggregate>): GpuWindowAggregate => ({
  cluster: 'c',
  node: 'n',
  uuid: 'GPU-1',
  index: 0,
  model: 'NVIDIA A100 80GB PCIe',
  tenants: [],
  observedAt: new Date(0),
  ...over,
});

describe('activitySignal', () => {
  it('prefers GR_ENGINE_ACTIVE when exported', () => {
    expect(activitySignal(gpu({ grEngineActiveRatio: 0.42, utilizationPercent: 97 }), 300, 60, T)).toEqual({
      percent: 42,
      source: 'GR_ENGINE_ACTIVE',
    });
  });

  it('falls back to GPU_UTIL when the PROF field reads 0 while GPU_UTIL shows work, and says so', () => {
    const s = activitySignal(
      gpu({ grEngineActiveRatio: 0, utilizationPercent: 88, powerWatts: 250 }),
      300,
      250,
      T,
    );
    expect(s.percent).toBe(88);
    expect(s.source).toBe('GPU_UTIL');
    expect(s.reason).toMatch(/GR_ENGINE_ACTIVE reads 0 % while GPU_UTIL reads 88 %: using GPU_UTIL/);
  });

  it('uses GPU_UTIL when no PROF field is exported (older GPUs, default CSV)', () => {
    expect(activitySignal(gpu({ utilizationPercent: 3 }), 300, undefined, T)).toEqual({
      percent: 3,
      source: 'GPU_UTIL',
    });
  });

  it('trusts no signal when every activity field reads ~0 but power stands far above the idle baseline', () => {
    const s = activitySignal(
      gpu({ grEngineActiveRatio: 0, utilizationPercent: 0, powerWatts: 220 }),
      300,
      60,
      T,
    );
    expect(s.percent).toBeUndefined();
    expect(s.reason).toMatch(/contradictory signals: .*160 W above the GPU's idle baseline/);
  });

  it('an idle GPU near its own baseline is idle (power within the margin)', () => {
    expect(
      activitySignal(gpu({ grEngineActiveRatio: 0, utilizationPercent: 0, powerWatts: 80 }), 300, 60, T),
    ).toEqual({
      percent: 0,
      source: 'GR_ENGINE_ACTIVE',
    });
  });

  it('ignores board power and GPU_UTIL on a MIG instance (power is the parent board’s)', () => {
    const s = activitySignal(
      gpu({ migInstanceId: '3', grEngineActiveRatio: 0.01, utilizationPercent: 90, powerWatts: 280 }),
      300,
      50,
      T,
    );
    expect(s).toEqual({ percent: 1, source: 'GR_ENGINE_ACTIVE' });
  });

  it('says why there is no signal: refused, corrupt or absent', () => {
    const refused = gpu({
      invalidReadings: [{ field: 'utilizationPercent', reason: InvalidReadingReason.DCGM_BLANK }],
    });
    expect(activitySignal(refused, 300, 60, T)).toEqual({ reason: 'activity reading refused (DCGM_BLANK)' });
    expect(activitySignal(gpu({ utilizationPercent: 250 }), 300, 60, T).reason).toMatch(
      /corrupt activity reading/,
    );
    expect(activitySignal(gpu({ grEngineActiveRatio: NaN }), 300, 60, T).reason).toMatch(/corrupt/);
    expect(activitySignal(gpu({}), 300, 60, T).reason).toMatch(/no activity signal/);
  });

  it('clamps rounding slack into 0–100', () => {
    expect(activitySignal(gpu({ utilizationPercent: 100.3 }), 300, 60, T).percent).toBe(100);
  });
});

describe('nextIdleBaseline', () => {
  it('keeps the lowest window power of a whole GPU', () => {
    expect(nextIdleBaseline(gpu({ powerWatts: 90 }), undefined)).toBe(90);
    expect(nextIdleBaseline(gpu({ powerWatts: 250 }), 90)).toBe(90);
    expect(nextIdleBaseline(gpu({ powerWatts: 60 }), 90)).toBe(60);
  });
  it('ignores MIG instances, missing and impossible readings', () => {
    expect(nextIdleBaseline(gpu({ powerWatts: 10, migInstanceId: '1' }), 90)).toBe(90);
    expect(nextIdleBaseline(gpu({}), 90)).toBe(90);
    expect(nextIdleBaseline(gpu({ powerWatts: NaN }), 90)).toBe(90);
  });
});
