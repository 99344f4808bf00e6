import { eq } from '@kcloud/prometheus';
import { parsePromQL } from '@kcloud/prometheus/testing';
import {
  exporterUuid,
  joinNvidiaSmi,
  nodeOfNvidiaSmi,
  normalizeNvidiaUuid,
  nvidiaSmiIdentityQuery,
  nvidiaSmiValuesQuery,
} from './nvidia-smi';
import { firstN } from '../testing/first-n';

const MIB = 1024 * 1024;

describe('nvidia_gpu_exporter uuids', () => {
  it.each([
    ['22dbdd79-f55a-92a8-aa39-322198e72ed6', 'GPU-22dbdd79-f55a-92a8-aa39-322198e72ed6'],
    ['22DBDD79-F55A-92A8-AA39-322198E72ED6', 'GPU-22dbdd79-f55a-92a8-aa39-322198e72ed6'],
    ['GPU-22dbdd79-f55a-92a8-aa39-322198e72ed6', 'GPU-22dbdd79-f55a-92a8-aa39-322198e72ed6'],
  ])('normalises %s to %s, and back', (raw, normal) => {
    expect(normalizeNvidiaUuid(raw)).toBe(normal);
    expect(exporterUuid(normal)).toBe(raw.replace(/^GPU-/, '').toLowerCase());
  });
});

describe('nodeOfNvidiaSmi', () => {
  it.each([
    [{ node: 'n1', instance: '10.0.0.1:9835' }, 'n1'],
    [{ kubernetes_node: 'n2', instance: '10.0.0.1:9835' }, 'n2'],
    [{ instance: 'gpu-host-7:9835' }, 'gpu-host-7'],
  ])('%o → %s', (labels, node) => {
    expect(nodeOfNvidiaSmi(labels)).toBe(node);
  });
});

describe('joinNvidiaSmi', () => {
  it('converts base units back to MiB, percent and MHz and keys by the normalised UUID', () => {
    const uuid = '22dbdd79-f55a-92a8-aa39-322198e72ed6';
    const v = (family: string, value: number) => ({ labels: { kcloud_metric: family, uuid }, value });
    const [g] = firstN(
      joinNvidiaSmi(
        'c1',
        [
          {
            labels: {
              uuid,
              name: 'NVIDIA H100 80GB HBM3',
              index: '2',
              driver_version: '590.48.01',
              pci_bus_id: '00000000:00:09.0',
              node: 'gpu-node-1',
            },
            value: 1700000000.25,
          },
        ],
        [
          // The exporter multiplies by 0.01: 85 * 0.01 = 0.8500000000000001, which must read back as 85.
          v('nvidia_smi_utilization_gpu_ratio', 85 * 0.01),
          v('nvidia_smi_utilization_memory_ratio', 0.11),
          v('nvidia_smi_memory_used_bytes', 2.0780679168e10),
          v('nvidia_smi_memory_free_bytes', 6.4238911488e10),
          v('nvidia_smi_memory_reserved_bytes', 5.02267904e8),
          v('nvidia_smi_power_draw_watts', 631.95),
          v('nvidia_smi_enforced_power_limit_watts', 700),
          v('nvidia_smi_temperature_gpu', 59),
          v('nvidia_smi_clocks_current_sm_clock_hz', 1.98e9),
        ],
      ),
      1,
    );
    expect(g).toEqual({
      cluster: 'c1',
      node: 'gpu-node-1',
      uuid: `GPU-${uuid}`,
      index: 2,
      model: 'NVIDIA H100 80GB HBM3',
      vendor: 'nvidia',
      driverVersion: '590.48.01',
      pciBusId: '00000000:00:09.0',
      utilizationPercent: 85,
      memoryCopyUtilizationPercent: 11,
      memoryUsedMiB: 19818,
      memoryFreeMiB: 61263,
      memoryReservedMiB: 479,
      powerWatts: 631.95,
      powerLimitWatts: 700,
      temperatureCelsius: 59,
      smClockMHz: 1980,
      energyJoules: undefined,
      observedAt: new Date(1700000000250),
    });
    expect(g.memoryUsedMiB! * MIB).toBe(2.0780679168e10);
  });

  it('refuses NVML’s not-available, NaN and impossible values in base units, with the reasons', () => {
    const uuid = 'abc';
    const v = (family: string, value: number) => ({ labels: { kcloud_metric: family, uuid }, value });
    const [g] = firstN(
      joinNvidiaSmi(
        'c1',
        [{ labels: { uuid, name: 'Tesla T4' }, value: 1 }],
        [
          v('nvidia_smi_temperature_gpu', 4294967295),
          v('nvidia_smi_utilization_gpu_ratio', 1.5),
          v('nvidia_smi_power_draw_watts', NaN),
          v('nvidia_smi_clocks_current_sm_clock_hz', 1.59e9),
        ],
      ),
      1,
    );
    expect(g.smClockMHz).toBe(1590);
    expect(g.invalidReadings).toEqual([
      { field: 'utilizationPercent', reason: 'OUT_OF_RANGE' },
      { field: 'powerWatts', reason: 'NOT_A_NUMBER' },
      { field: 'temperatureCelsius', reason: 'DCGM_BLANK' },
    ]);
  });

  it('pushes uuid and model filters down in the exporter’s spelling, in queries that parse', () => {
    const scope = [eq('cluster', 'east')];
    const identity = nvidiaSmiIdentityQuery({ uuids: ['GPU-AB-CD'], models: ['Tesla T4'] }, scope);
    expect(identity).toBe('timestamp(nvidia_smi_gpu_info{cluster="east", name=~"Tesla T4", uuid=~"ab-cd"})');
    const values = nvidiaSmiValuesQuery({ uuids: ['GPU-AB-CD'] }, scope);
    for (const q of [identity, values]) expect(parsePromQL(q).errors).toEqual([]);
    expect(values).toContain('uuid=~"ab-cd"');
  });
});
