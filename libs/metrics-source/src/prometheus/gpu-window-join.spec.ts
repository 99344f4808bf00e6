import { eq } from '@kcloud/prometheus';
import { joinGpuWindow } from './gpu-window-join';
import { WINDOW_BATCHES, windowBatchQuery } from './gpu-window-queries';
import { EXPORTED, PLAIN } from './tenant-labels';

const base = { gpu: '0', UUID: 'GPU-a', modelName: 'NVIDIA A100-SXM4-80GB', Hostname: 'n1' };
const exporterPod = /dcgm-exporter/;
const v = (metric: string, value: number, GPU_I_ID?: string, UUID = 'GPU-a') => ({
  labels: { kcloud_metric: metric, UUID, ...(GPU_I_ID ? { GPU_I_ID } : {}) },
  value,
});

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
    const [gpu, ...rest] = joinGpuWindow(
      'c1',
      identity,
      [v('DCGM_FI_DEV_GPU_UTIL', 42)],
      EXPORTED,
      exporterPod,
    );
    expect(rest).toHaveLength(0);
    expect(gpu.tenants).toEqual([
      { namespace: 'a', pod: 'p1', container: 'c' },
      { namespace: 'b', pod: 'p2', container: 'c' },
    ]);
    expect(gpu.utilizationPercent).toBe(42);
    expect(gpu.observedAt.getTime()).toBe(101_500);
  });

  it('gives MIG instances their parent board power and limit, and keeps NaN and corrupt values as read', () => {
    const identity = [
      { labels: { ...base, GPU_I_PROFILE: '3g.40gb', GPU_I_ID: '1' }, value: 1 },
      { labels: { ...base, GPU_I_PROFILE: '1g.10gb', GPU_I_ID: '7' }, value: 1 },
    ];
    const values = [
      v('DCGM_FI_DEV_POWER_USAGE', 250, '1'),
      v('DCGM_FI_DEV_POWER_MGMT_LIMIT', 400, '1'),
      v('DCGM_FI_PROF_GR_ENGINE_ACTIVE', NaN, '7'),
      v('DCGM_FI_DEV_FB_USED', 4294967295, '7'),
      v('DCGM_FI_DEV_FB_USED', 10, undefined, 'GPU-other'),
    ];
    const [one, seven] = joinGpuWindow('c1', identity, values, PLAIN, exporterPod);
    expect([one.migInstanceId, one.powerWatts, one.powerLimitWatts]).toEqual(['1', 250, 400]);
    expect([seven.migInstanceId, seven.powerWatts, seven.powerLimitWatts]).toEqual(['7', 250, 400]);
    expect(seven.grEngineActiveRatio).toBeNaN();
    expect(seven.memoryUsedMiB).toBe(4294967295);
    expect(seven.tenants).toEqual([]);
  });

  it('never takes the exporter pod of a plain-shape scrape for a tenant', () => {
    const identity = [
      { labels: { ...base, namespace: 'gpu-operator', pod: 'nvidia-dcgm-exporter-x' }, value: 1 },
    ];
    expect(joinGpuWindow('c1', identity, [], PLAIN, exporterPod)[0].tenants).toEqual([]);
  });
});

describe('window queries', () => {
  it('averages each family over the window, reduced to (UUID, GPU_I_ID), one request per batch', () => {
    const q = windowBatchQuery(WINDOW_BATCHES[0].slice(0, 2), [eq('cluster', 'x"y')], 600);
    expect(q).toBe(
      '(label_replace(avg by (UUID, GPU_I_ID) (avg_over_time(DCGM_FI_DEV_GPU_UTIL{cluster="x\\"y"}[600s])), "kcloud_metric", "DCGM_FI_DEV_GPU_UTIL", "UUID", ".*"))' +
        ' or ' +
        '(label_replace(avg by (UUID, GPU_I_ID) (avg_over_time(DCGM_FI_DEV_MEM_COPY_UTIL{cluster="x\\"y"}[600s])), "kcloud_metric", "DCGM_FI_DEV_MEM_COPY_UTIL", "UUID", ".*"))',
    );
    const families = WINDOW_BATCHES.flat().map((f) => f.metric);
    expect(new Set(families).size).toBe(families.length);
    expect(families).toEqual(
      expect.arrayContaining(['DCGM_FI_DEV_FB_RESERVED', 'DCGM_FI_DEV_POWER_MGMT_LIMIT']),
    );
  });
});
