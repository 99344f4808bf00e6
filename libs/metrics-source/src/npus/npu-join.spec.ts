import { eq } from '@kcloud/prometheus';
import { parsePromQL } from '@kcloud/prometheus/testing';
import { coreCount, joinNpuSamples } from './npu-join';
import { npuIdentityQuery, npuValuesQuery } from './npu-queries';
import { EXPORTED, PLAIN } from '../gpu-snapshot/tenant-labels';
import { firstN } from '../testing/first-n';

const GUARD = /dcgm-exporter|(furiosa|rbln)-metrics-exporter/;
const MIB = 1024 * 1024;

const furiosa = {
  arch: 'rngd',
  core: '0-7',
  device: 'npu1',
  uuid: 'F-1',
  pci_bus_id: '0000:2a:00.0',
  firmware_version: 'fw',
  pert_version: 'pert',
  driver_version: 'drv',
  hostname: 'n1',
  label: 'rms',
};
const rbln = {
  card: 'RBLN-CA12',
  name: 'rbln0',
  uuid: 'r-1',
  deviceID: '1120',
  hostname: 'n2',
  driver_version: '2.0.1',
  firmware_version: '2.0.1',
};
const v = (uuid: string, family: string, value: number, label?: string) => ({
  labels: { kcloud_metric: family, uuid, ...(label ? { label } : {}) },
  value,
});

describe('joinNpuSamples', () => {
  const values = [
    v('F-1', 'furiosa_npu_hw_power', 61.5, 'rms'),
    v('F-1', 'furiosa_npu_hw_temperature', 55.5, 'peak'),
    v('F-1', 'furiosa_npu_hw_temperature', 33.1, 'ambient'),
    v('F-1', 'furiosa_npu_alive', 1),
    v('F-1', 'furiosa_npu_core_utilization', 42.125),
    v('r-1', 'RBLN_DEVICE_STATUS:CARD_POWER', 88.25),
    v('r-1', 'RBLN_DEVICE_STATUS:TEMPERATURE', 47.5),
    v('r-1', 'RBLN_DEVICE_STATUS:DRAM_USED', 4096 * MIB),
    v('r-1', 'RBLN_DEVICE_STATUS:DRAM_TOTAL', 16384 * MIB),
    v('r-1', 'RBLN_DEVICE_STATUS:UTILIZATION', 73.4),
    v('r-1', 'RBLN_DEVICE_STATUS:HEALTH', 1),
  ];

  it('reads both vendors: Furiosa per-core mean and sensors, Rebellions memory in bytes and health 1 = inactive', () => {
    const identity = [
      { labels: { ...furiosa, namespace: 'inference', pod: 'llm-0', container: 'llm' }, value: 1700000000 },
      { labels: { ...rbln, namespace: '', pod: '', container: '' }, value: 1700000001 },
    ];
    const [f, r] = firstN(joinNpuSamples('c1', identity, values, PLAIN, GUARD), 2);
    expect(f).toEqual({
      cluster: 'c1',
      node: 'n1',
      uuid: 'F-1',
      vendor: 'furiosa',
      device: 'npu1',
      index: 1,
      driverVersion: 'drv',
      firmwareVersion: 'fw',
      namespace: 'inference',
      pod: 'llm-0',
      container: 'llm',
      observedAt: new Date(1700000000000),
      model: 'RNGD',
      pciBusId: '0000:2a:00.0',
      coreCount: 8,
      utilizationPercent: 42.125,
      memoryUsedMiB: undefined,
      memoryTotalMiB: undefined,
      powerWatts: 61.5,
      temperatureCelsius: 55.5,
      ambientTemperatureCelsius: 33.1,
      healthy: true,
    });
    expect(r).toMatchObject({
      vendor: 'rebellions',
      model: 'RBLN-CA12',
      device: 'rbln0',
      index: 0,
      node: 'n2',
      memoryUsedMiB: 4096,
      memoryTotalMiB: 16384,
      utilizationPercent: 73.4,
      powerWatts: 88.25,
      temperatureCelsius: 47.5,
      healthy: false,
    });
    expect(r.namespace).toBeUndefined();
    expect(r.pciBusId).toBeUndefined();
  });

  it('refuses blank, NaN and impossible NPU readings with the reason, memory above the card, and a blank health', () => {
    const [card] = firstN(
      joinNpuSamples(
        'c',
        [{ labels: rbln, value: 1 }],
        [
          v('r-1', 'RBLN_DEVICE_STATUS:TEMPERATURE', 4294967295),
          v('r-1', 'RBLN_DEVICE_STATUS:CARD_POWER', NaN),
          v('r-1', 'RBLN_DEVICE_STATUS:UTILIZATION', 140),
          v('r-1', 'RBLN_DEVICE_STATUS:DRAM_USED', 20 * 1024 * MIB),
          v('r-1', 'RBLN_DEVICE_STATUS:DRAM_TOTAL', 16 * 1024 * MIB),
          v('r-1', 'RBLN_DEVICE_STATUS:HEALTH', 2147483632),
        ],
        PLAIN,
        GUARD,
      ),
      1,
    );
    expect(card).toMatchObject({ memoryTotalMiB: 16 * 1024 });
    for (const field of [
      'temperatureCelsius',
      'powerWatts',
      'utilizationPercent',
      'memoryUsedMiB',
      'healthy',
    ])
      expect(card[field as keyof typeof card]).toBeUndefined();
    expect(card.invalidReadings).toEqual([
      { field: 'utilizationPercent', reason: 'OUT_OF_RANGE' },
      { field: 'memoryUsedMiB', reason: 'ABOVE_CAPACITY' },
      { field: 'powerWatts', reason: 'NOT_A_NUMBER' },
      { field: 'temperatureCelsius', reason: 'DCGM_BLANK' },
    ]);
  });

  it('reads tenants from exported_* in the exported shape and never takes the exporter pod for a tenant', () => {
    const exporterPod = { namespace: 'gpu-operator', pod: 'nvidia-dcgm-exporter-x7k2p' };
    const identity = [
      {
        labels: { ...furiosa, ...exporterPod, exported_namespace: 'inference', exported_pod: 'llm-0' },
        value: 1,
      },
      { labels: { ...rbln, ...exporterPod }, value: 1 },
    ];
    const [f, r] = firstN(joinNpuSamples('c1', identity, values, EXPORTED, GUARD), 2);
    expect([f.namespace, f.pod]).toEqual(['inference', 'llm-0']);
    expect([r.namespace, r.pod]).toEqual([undefined, undefined]);
    const [plain] = firstN(
      joinNpuSamples('c1', [{ labels: { ...rbln, ...exporterPod }, value: 1 }], values, PLAIN, GUARD),
      1,
    );
    expect(plain.pod).toBeUndefined();
  });

  it('keeps the pod-attributed row of a partitioned card and reads ≤ 2025.1 node labels', () => {
    const old = { arch: 'warboy', core: '0-1', device: 'npu0', uuid: 'W-1', kubernetes_node_name: 'n9' };
    const [w] = firstN(
      joinNpuSamples(
        'c1',
        [
          { labels: old, value: 1 },
          { labels: { ...old, core: '0', pod: 'job-0', namespace: 'batch' }, value: 1 },
        ],
        [],
        PLAIN,
        GUARD,
      ),
      1,
    );
    expect([w.node, w.model, w.pod, w.namespace]).toEqual(['n9', 'Warboy', 'job-0', 'batch']);
  });

  it.each([
    ['0-7', 8],
    ['4-7', 4],
    ['3', 1],
    [undefined, undefined],
    ['x', undefined],
  ])('counts the cores of core label %p as %p', (core, count) => {
    expect(coreCount(core)).toBe(count);
  });

  it('queries both vendors in two requests that parse, RBLN names through __name__', () => {
    const scope = [eq('cluster', 'east')];
    const identity = npuIdentityQuery(scope);
    const valuesQuery = npuValuesQuery(scope);
    for (const q of [identity, valuesQuery]) expect(parsePromQL(q).errors).toEqual([]);
    expect(identity).toBe(
      'timestamp({__name__=~"furiosa_npu_hw_power|RBLN_DEVICE_STATUS:CARD_POWER", cluster="east"})',
    );
    expect(valuesQuery).toContain('avg by (uuid) (furiosa_npu_core_utilization{cluster="east"})');
  });
});
