import { joinGpuSamples } from './gpu-join';
import { EXPORTED, PLAIN } from './tenant-labels';
import { firstN } from '../testing/first-n';

const base = {
  gpu: '1',
  UUID: 'GPU-a',
  pci_bus_id: '00000000:64:00.0',
  device: 'nvidia1',
  modelName: 'NVIDIA H100 80GB HBM3',
  DCGM_FI_DRIVER_VERSION: '580.105.08',
};
const exporterPod = /dcgm-exporter/;

describe('joinGpuSamples', () => {
  it('reads tenants from exported_* and never reports the exporter pod as a tenant', () => {
    const identity = [
      {
        labels: {
          ...base,
          Hostname: 'n1',
          namespace: 'gpu-operator',
          pod: 'nvidia-dcgm-exporter-x',
          exported_namespace: 'llm',
          exported_pod: 'vllm-0',
          exported_container: 'vllm',
        },
        value: 1700000000.5,
      },
      {
        labels: {
          ...base,
          UUID: 'GPU-b',
          gpu: '2',
          Hostname: 'n1',
          namespace: 'gpu-operator',
          pod: 'nvidia-dcgm-exporter-x',
        },
        value: 1700000000.5,
      },
    ];
    const [a, b] = firstN(joinGpuSamples('c1', identity, [], EXPORTED, exporterPod), 2);
    expect(a).toMatchObject({
      cluster: 'c1',
      node: 'n1',
      uuid: 'GPU-a',
      index: 1,
      namespace: 'llm',
      pod: 'vllm-0',
      container: 'vllm',
    });
    expect(a.observedAt.toISOString()).toBe('2023-11-14T22:13:20.500Z');
    expect(b.namespace).toBeUndefined();
    expect(b.pod).toBeUndefined();
  });

  it('ignores a plain pod label that is the exporter itself, keeps a real plain tenant', () => {
    const identity = [
      {
        labels: { ...base, hostname: 'n2', namespace: 'gpu-operator', pod: 'nvidia-dcgm-exporter-x' },
        value: 1,
      },
      {
        labels: {
          ...base,
          UUID: 'GPU-b',
          hostname: 'n2',
          namespace: 'research',
          pod: 'nb-1',
          container: 'jupyter',
        },
        value: 1,
      },
    ];
    const [a, b] = firstN(joinGpuSamples('c1', identity, [], PLAIN, exporterPod), 2);
    expect(a.node).toBe('n2');
    expect(a.namespace).toBeUndefined();
    expect(b).toMatchObject({ namespace: 'research', pod: 'nb-1', container: 'jupyter' });
  });

  it('keeps MIG instances apart and converts energy from mJ to J, dropping NaN readings', () => {
    const identity = [
      { labels: { ...base, Hostname: 'n1', GPU_I_PROFILE: '1g.10gb', GPU_I_ID: '7' }, value: 1 },
      { labels: { ...base, Hostname: 'n1', GPU_I_PROFILE: '3g.40gb', GPU_I_ID: '1' }, value: 1 },
    ];
    const values = [
      { labels: { kcloud_metric: 'DCGM_FI_DEV_FB_USED', UUID: 'GPU-a', GPU_I_ID: '7' }, value: 9000 },
      { labels: { kcloud_metric: 'DCGM_FI_DEV_FB_USED', UUID: 'GPU-a', GPU_I_ID: '1' }, value: 100 },
      {
        labels: { kcloud_metric: 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', UUID: 'GPU-a', GPU_I_ID: '1' },
        value: 5_000,
      },
      { labels: { kcloud_metric: 'DCGM_FI_DEV_GPU_TEMP', UUID: 'GPU-a', GPU_I_ID: '1' }, value: NaN },
    ];
    const samples = joinGpuSamples('c1', identity, values, EXPORTED, exporterPod);
    expect(samples.map((s) => [s.migInstanceId, s.migProfile, s.memoryUsedMiB])).toEqual([
      ['7', '1g.10gb', 9000],
      ['1', '3g.40gb', 100],
    ]);
    const [seven, one] = firstN(samples, 2);
    expect(one.energyJoules).toBe(5);
    expect(one.temperatureCelsius).toBeUndefined();
    expect(seven.utilizationPercent).toBeUndefined();
  });

  it('serves DCGM blanks, NaN and impossible values as absent with their reasons, keeps the good ones', () => {
    const identity = [{ labels: { ...base, Hostname: 'n1' }, value: 1 }];
    const v = (metric: string, value: number) => ({
      labels: { kcloud_metric: metric, UUID: 'GPU-a' },
      value,
    });
    const [s] = firstN(
      joinGpuSamples(
        'c1',
        identity,
        [
          v('DCGM_FI_DEV_GPU_TEMP', Number('9223372036854775794')),
          v('DCGM_FI_DEV_GPU_UTIL', 2147483632),
          v('DCGM_FI_DEV_FB_USED', 4294967295),
          v('DCGM_FI_DEV_POWER_USAGE', 140737488355328),
          v('DCGM_FI_DEV_SM_CLOCK', NaN),
          v('DCGM_FI_DEV_MEM_COPY_UTIL', 250),
          v('DCGM_FI_DEV_FB_FREE', 1000),
        ],
        EXPORTED,
        exporterPod,
      ),
      1,
    );
    expect(s).toMatchObject({ memoryFreeMiB: 1000 });
    for (const field of [
      'temperatureCelsius',
      'utilizationPercent',
      'memoryUsedMiB',
      'powerWatts',
      'smClockMHz',
    ])
      expect(s).not.toHaveProperty(field);
    expect(s.invalidReadings).toEqual([
      { field: 'temperatureCelsius', reason: 'DCGM_BLANK' },
      { field: 'utilizationPercent', reason: 'DCGM_BLANK' },
      { field: 'memoryUsedMiB', reason: 'DCGM_BLANK' },
      { field: 'powerWatts', reason: 'DCGM_BLANK' },
      { field: 'smClockMHz', reason: 'NOT_A_NUMBER' },
      { field: 'memoryCopyUtilizationPercent', reason: 'OUT_OF_RANGE' },
    ]);
  });
});
