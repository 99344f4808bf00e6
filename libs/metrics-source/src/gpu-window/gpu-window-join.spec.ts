import { eq } from '@kcloud/prometheus';
import { joinGpuWindow, WindowValues } from './gpu-window-join';
import { WINDOW_FAMILIES, windowFamilyQuery } from './gpu-window-queries';
import { EXPORTED, PLAIN } from '../gpu-snapshot/tenant-labels';
import { firstN } from '../testing/first-n';

const base = { gpu: '0', UUID: 'GPU-a', modelName: 'NVIDIA A100-SXM4-80GB', Hostname: 'n1' };
const exporterPod = /dcgm-exporter/;
type Reading = [metric: string, value: number, GPU_I_ID?: string, UUID?: string];
/** Window values as the reader folds them, one family answer per reading. */
const folded = (...readings: Reading[]): WindowValues => {
  const values = new WindowValues();
  for (const [metric, value, GPU_I_ID, UUID = 'GPU-a'] of readings)
    values.add(WINDOW_FAMILIES.find((f) => f.metric === metric)!, [
      { labels: { UUID, ...(GPU_I_ID ? { GPU_I_ID } : {}) }, value },
    ]);
  return values;
};

describe('joinGpuWindow', () => {
  it('keeps every pod of a time-sliced GPU as a tenant of one device, in a stable order', () => {
    const identity = [
      {
        labels: { ...base, exported_namespace: 'b', exported_pod: 'p2', exported_container: 'c' },
        value: 100,
      },
      {
        labels: { ...base, exported_namespace: 'a', exported_pod: 'p1', exported_container: 'c' },
        value: 101.5,
      },
      {
        labels: { ...base, exported_namespace: 'a', exported_pod: 'p1', exported_container: 'c' },
        value: 99,
      },
    ];
    const rows = joinGpuWindow(
      'c1',
      identity,
      folded(['DCGM_FI_DEV_GPU_UTIL', 42]),
      new Map(),
      EXPORTED,
      exporterPod,
    );
    expect(rows).toHaveLength(1);
    const [gpu] = firstN(rows, 1);
    expect(gpu.tenants).toEqual([
      { namespace: 'a', pod: 'p1', container: 'c' },
      { namespace: 'b', pod: 'p2', container: 'c' },
    ]);
    expect(gpu.utilizationPercent).toBe(42);
    expect(gpu.observedAt.getTime()).toBe(101_500);
  });

  it('gives MIG instances their parent board power and limit, and refuses NaN and blank averages with the reason', () => {
    const identity = [
      { labels: { ...base, GPU_I_PROFILE: '3g.40gb', GPU_I_ID: '1' }, value: 1 },
      { labels: { ...base, GPU_I_PROFILE: '1g.10gb', GPU_I_ID: '7' }, value: 1 },
    ];
    const values = folded(
      ['DCGM_FI_DEV_POWER_USAGE', 250, '1'],
      ['DCGM_FI_PROF_GR_ENGINE_ACTIVE', NaN, '7'],
      ['DCGM_FI_DEV_FB_USED', 4294967295, '7'],
      ['DCGM_FI_DEV_FB_USED', 10, undefined, 'GPU-other'],
    );
    const constants = new Map([['GPU-a/1', { powerLimitWatts: 400 }]]);
    const [one, seven] = firstN(joinGpuWindow('c1', identity, values, constants, PLAIN, exporterPod), 2);
    expect([one.migInstanceId, one.powerWatts, one.powerLimitWatts]).toEqual(['1', 250, 400]);
    expect([seven.migInstanceId, seven.powerWatts, seven.powerLimitWatts]).toEqual(['7', 250, 400]);
    expect(seven.grEngineActiveRatio).toBeUndefined();
    expect(seven.memoryUsedMiB).toBeUndefined();
    expect(seven.memoryFreeMiB).toBeUndefined();
    expect(seven.invalidReadings).toEqual([
      { field: 'grEngineActiveRatio', reason: 'NOT_A_NUMBER' },
      { field: 'memoryUsedMiB', reason: 'DCGM_BLANK' },
    ]);
    expect(one.invalidReadings).toBeUndefined();
    expect(seven.tenants).toEqual([]);
  });

  it('never takes the exporter pod of a plain-shape scrape for a tenant', () => {
    const identity = [
      { labels: { ...base, namespace: 'gpu-operator', pod: 'nvidia-dcgm-exporter-x' }, value: 1 },
    ];
    const [gpu] = firstN(joinGpuWindow('c1', identity, new WindowValues(), new Map(), PLAIN, exporterPod), 1);
    expect(gpu.tenants).toEqual([]);
  });

  it('derives the window-average free memory from the constant capacity and takes reservation and limit as read', () => {
    const identity = [
      { labels: base, value: 1 },
      { labels: { ...base, UUID: 'GPU-b' }, value: 1 },
    ];
    const values = folded(['DCGM_FI_DEV_FB_USED', 30_000], ['DCGM_FI_DEV_FB_USED', 5, undefined, 'GPU-b']);
    const constants = new Map([
      ['GPU-a', { memoryUsableMiB: 81_000, memoryReservedMiB: 559, powerLimitWatts: 700 }],
    ]);
    const [a, b] = firstN(joinGpuWindow('c1', identity, values, constants, PLAIN, exporterPod), 2);
    expect([a.memoryUsedMiB, a.memoryFreeMiB, a.memoryReservedMiB, a.powerLimitWatts]).toEqual([
      30_000, 51_000, 559, 700,
    ]);
    // No capacity known: free stays unknown rather than 0, so the analyzer says why it cannot score memory.
    expect([b.memoryUsedMiB, b.memoryFreeMiB, b.powerLimitWatts]).toEqual([5, undefined, undefined]);
  });
});

describe('window queries', () => {
  it('averages one family over the window, reduced to (UUID, GPU_I_ID), with escaped matchers', () => {
    const [util] = firstN(WINDOW_FAMILIES, 1);
    const q = windowFamilyQuery(util, [eq('cluster', 'x"y')], 600);
    expect(q).toBe('avg by (UUID, GPU_I_ID) (avg_over_time(DCGM_FI_DEV_GPU_UTIL{cluster="x\\"y"}[600s]))');
    const families = WINDOW_FAMILIES.map((f) => f.metric);
    expect(new Set(families).size).toBe(families.length);
    expect(new Set(WINDOW_FAMILIES.map((f) => f.field)).size).toBe(families.length);
    // DRAM_ACTIVE stands in for MEM_COPY_UTIL on MIG instances only; full GPUs are not read for it.
    expect(windowFamilyQuery(WINDOW_FAMILIES.find((f) => f.migOnly)!, [], 60)).toBe(
      'avg by (UUID, GPU_I_ID) (avg_over_time(DCGM_FI_PROF_DRAM_ACTIVE{GPU_I_ID!=""}[60s]))',
    );
  });

  it('reads the health counters as states (last XID, highest double-bit count), not averages', () => {
    const of = (metric: string) =>
      windowFamilyQuery(WINDOW_FAMILIES.find((f) => f.metric === metric)!, [], 60);
    expect(of('DCGM_FI_DEV_XID_ERRORS')).toBe(
      'max by (UUID, GPU_I_ID) (last_over_time(DCGM_FI_DEV_XID_ERRORS[60s]))',
    );
    expect(of('DCGM_FI_DEV_ECC_DBE_VOL_TOTAL')).toBe(
      'max by (UUID, GPU_I_ID) (max_over_time(DCGM_FI_DEV_ECC_DBE_VOL_TOTAL[60s]))',
    );
  });
});
