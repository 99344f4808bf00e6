import { eq } from '@kcloud/prometheus';
import { parsePromQL } from '@kcloud/prometheus/testing';
import { allSmiIdentityQuery, allSmiValuesQuery, joinAllSmi, vendorOf } from './all-smi';
import { firstN } from '../testing/first-n';

const MIB = 1024 * 1024;
const values = (keys: Record<string, string>, v: Record<string, number>) =>
  Object.entries(v).map(([family, value]) => ({ labels: { kcloud_metric: family, ...keys }, value }));

describe('joinAllSmi', () => {
  it.each([
    [
      '≥ v0.21 labels, scraped with honor_labels (instance = host)',
      {
        gpu: 'NVIDIA H100 80GB HBM3',
        instance: 'gpu-node-1',
        gpu_uuid: 'GPU-a',
        gpu_index: '3',
        type: 'GPU',
      },
      { instance: 'gpu-node-1', gpu_uuid: 'GPU-a' },
    ],
    [
      '≤ v0.20 labels, scraped without honor_labels (exported_instance = host)',
      {
        gpu: 'NVIDIA H100 80GB HBM3',
        instance: '10.0.0.5:9090',
        exported_instance: 'gpu-node-1',
        uuid: 'GPU-a',
        index: '3',
        type: 'GPU',
      },
      { instance: '10.0.0.5:9090', exported_instance: 'gpu-node-1', uuid: 'GPU-a' },
    ],
  ])('reads %s', (_name, identityLabels, keys) => {
    const [g] = firstN(
      joinAllSmi(
        'c1',
        [{ labels: { ...identityLabels, driver_version: '580.105.08' }, value: 1700000000 }],
        values(keys, {
          all_smi_gpu_utilization: 87,
          all_smi_gpu_memory_used_bytes: 70000 * MIB,
          all_smi_gpu_memory_total_bytes: 81559 * MIB,
          all_smi_gpu_temperature_celsius: 61,
          all_smi_gpu_power_consumption_watts: 612.345,
          all_smi_gpu_frequency_mhz: 1980,
          all_smi_gpu_power_limit_current_watts: 700,
        }),
      ),
      1,
    );
    expect(g).toEqual({
      cluster: 'c1',
      node: 'gpu-node-1',
      uuid: 'GPU-a',
      index: 3,
      model: 'NVIDIA H100 80GB HBM3',
      vendor: 'nvidia',
      driverVersion: '580.105.08',
      utilizationPercent: 87,
      memoryUsedMiB: 70000,
      memoryFreeMiB: 11559,
      powerWatts: 612.345,
      powerLimitWatts: 700,
      temperatureCelsius: 61,
      smClockMHz: 1980,
      observedAt: new Date(1700000000000),
    });
  });

  it('leaves out what all-smi omitted and drops NaN readings', () => {
    const [g] = firstN(
      joinAllSmi(
        'c1',
        [{ labels: { gpu: 'Apple M3 Max', instance: 'mac-1', gpu_uuid: 'x', gpu_index: '0' }, value: 1 }],
        values({ instance: 'mac-1', gpu_uuid: 'x' }, { all_smi_gpu_power_consumption_watts: NaN }),
      ),
      1,
    );
    expect(g.utilizationPercent).toBeUndefined();
    expect(g.powerWatts).toBeUndefined();
    expect(g.memoryFreeMiB).toBeUndefined();
    expect(g.vendor).toBe('apple');
  });

  it('refuses blanks and memory above the device total, with the reasons', () => {
    const keys = { instance: 'gpu-1', gpu_uuid: 'GPU-x' };
    const [g] = firstN(
      joinAllSmi(
        'c1',
        [{ labels: { gpu: 'NVIDIA L40S', ...keys, gpu_index: '0' }, value: 1 }],
        values(keys, {
          all_smi_gpu_temperature_celsius: Number('9223372036854775807'),
          all_smi_gpu_utilization: 2147483632,
          all_smi_gpu_memory_used_bytes: 50 * 1024 * MIB,
          all_smi_gpu_memory_total_bytes: 46068 * MIB,
          all_smi_gpu_power_consumption_watts: 250,
        }),
      ),
      1,
    );
    expect(g).toMatchObject({ powerWatts: 250, memoryFreeMiB: undefined, temperatureCelsius: undefined });
    expect(g.invalidReadings).toEqual([
      { field: 'memoryUsedMiB', reason: 'ABOVE_CAPACITY' },
      { field: 'utilizationPercent', reason: 'DCGM_BLANK' },
      { field: 'temperatureCelsius', reason: 'DCGM_BLANK' },
    ]);
  });

  it('builds queries that parse, keep the GPU rows only and carry the cluster scope', () => {
    const identity = allSmiIdentityQuery({ models: ['NVIDIA L40S'] }, [eq('cluster', 'east')]);
    const vals = allSmiValuesQuery([eq('cluster', 'east')]);
    for (const q of [identity, vals]) expect(parsePromQL(q).errors).toEqual([]);
    expect(identity).toBe('timestamp(all_smi_gpu_info{cluster="east", type="GPU", gpu=~"NVIDIA L40S"})');
    expect(vals).toContain('max by (kcloud_metric, uuid, gpu_uuid, instance, exported_instance)');
  });
});

describe('vendorOf', () => {
  it.each([
    ['NVIDIA H100 80GB HBM3', 'nvidia'],
    ['Tesla T4', 'nvidia'],
    ['NVIDIA Jetson AGX Orin', 'nvidia'],
    ['Apple M2 Ultra', 'apple'],
    ['AMD Instinct MI300X', 'amd'],
    ['Intel Gaudi 3', 'intel'],
    ['Mystery Accelerator', 'unknown'],
  ])('%s → %s', (name, vendor) => {
    expect(vendorOf(name)).toBe(vendor);
  });
});
