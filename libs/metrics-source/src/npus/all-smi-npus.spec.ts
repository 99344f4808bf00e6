import type { AppConfig, ClusterConfig } from '@kcloud/common';
import { eq, type ClusterRegistry, type PrometheusClient } from '@kcloud/prometheus';
import { parsePromQL } from '@kcloud/prometheus/testing';
import { ALL_SMI_NPU_TYPES, allSmiIdentityQuery, joinAllSmi } from '../gpu-snapshot/all-smi';
import type { PromSample } from '../shared/prom-sample';
import { firstN } from '../testing/first-n';
import { npuVendorOf } from './all-smi-npus';
import { PrometheusNpus } from './npu.prometheus';

const MIB = 1024 * 1024;
const AT = 1_700_000_000;

/** An all-smi node with one GPU, one Furiosa NPU and one TPU, as Prometheus stores its rows (≥ v0.21 labels). */
const device = (gpu: string, uuid: string, index: number, type: string) => ({
  gpu,
  instance: 'node-1',
  gpu_uuid: uuid,
  gpu_index: String(index),
  type,
});
const DEVICES = [
  device('NVIDIA H100 80GB HBM3', 'GPU-a', 0, 'GPU'),
  device('Furiosa RNGD', 'NPU-b', 1, 'NPU'),
  device('Google TPU v5e', 'TPU-c', 2, 'TPU'),
];
const readings = (uuid: string, v: Record<string, number>): PromSample[] =>
  Object.entries(v).map(([family, value]) => ({
    labels: { kcloud_metric: family, instance: 'node-1', gpu_uuid: uuid },
    value,
  }));
const VALUES: PromSample[] = [
  ...readings('GPU-a', { all_smi_gpu_utilization: 90, all_smi_gpu_power_consumption_watts: 600 }),
  ...readings('NPU-b', {
    all_smi_gpu_utilization: 42,
    all_smi_gpu_memory_used_bytes: 1024 * MIB,
    all_smi_gpu_memory_total_bytes: 49152 * MIB,
    all_smi_gpu_temperature_celsius: 55,
    all_smi_gpu_power_consumption_watts: 120.5,
  }),
  // A TPU with a blank temperature (an int32 sentinel) and no memory families.
  ...readings('TPU-c', {
    all_smi_gpu_utilization: 7,
    all_smi_gpu_temperature_celsius: 2147483647,
    all_smi_gpu_power_consumption_watts: 80,
  }),
];

/** Answers identity queries by their `type` matcher, as Prometheus would, and counts the requests. */
function fakeClient(queries: string[]): PrometheusClient {
  return {
    instant: (q: string) => {
      queries.push(q);
      if (!q.includes('all_smi_gpu_info'))
        return Promise.resolve(q.includes('all_smi_gpu_utilization') ? VALUES : []);
      const wanted = /type=~?"([^"]+)"/.exec(q)?.[1] ?? '';
      const rows = DEVICES.filter((d) => new RegExp(`^(${wanted})$`).test(d.type));
      return Promise.resolve(rows.map((labels) => ({ labels, value: AT })));
    },
  } as unknown as PrometheusClient;
}

function npusOf(gpuExporter: ClusterConfig['gpuExporter'], queries: string[] = []): PrometheusNpus {
  const cluster = { name: 'east', gpuExporter } as ClusterConfig;
  const registry = {
    scopeMatchers: () => [],
    fanOut: async (_c: unknown, fn: (client: PrometheusClient, c: ClusterConfig) => Promise<unknown>) => ({
      results: [{ cluster: 'east', value: await fn(fakeClient(queries), cluster) }],
      failures: [],
    }),
  } as unknown as ClusterRegistry;
  const config = { prometheus: { exporterPodPattern: 'dcgm-exporter', tenantLabels: 'auto' } } as AppConfig;
  return new PrometheusNpus(registry, config);
}

describe('all-smi NPU/TPU device rows', () => {
  it('asks all-smi for NPU and TPU rows, and GPU readers still for GPU rows only', () => {
    const npu = allSmiIdentityQuery({}, [eq('cluster', 'east')], ALL_SMI_NPU_TYPES);
    expect(parsePromQL(npu).errors).toEqual([]);
    expect(npu).toBe('timestamp(all_smi_gpu_info{cluster="east", type=~"NPU|TPU"})');
    expect(allSmiIdentityQuery({}, [])).toBe('timestamp(all_smi_gpu_info{type="GPU"})');
  });

  it('lists the NPU and TPU of an all-smi cluster as NPU cards with their readings, not its GPU', async () => {
    const { items, failures } = await npusOf('all-smi').npuSamples({});
    expect(failures).toEqual([]);
    expect(items.map((n) => n.uuid)).toEqual(['NPU-b', 'TPU-c']);
    const [rngd, tpu] = firstN(items, 2);
    expect(rngd).toMatchObject({
      cluster: 'east',
      node: 'node-1',
      vendor: 'furiosa',
      model: 'Furiosa RNGD',
      index: 1,
      utilizationPercent: 42,
      memoryUsedMiB: 1024,
      memoryTotalMiB: 49152,
      temperatureCelsius: 55,
      powerWatts: 120.5,
      exporter: 'all-smi',
      observedAt: new Date(AT * 1000),
    });
    expect(rngd.invalidReadings ?? []).toEqual([]);
    expect(rngd.namespace).toBeUndefined();
    // The blank temperature is refused, not reported; absent memory stays absent.
    expect(tpu).toMatchObject({
      vendor: 'google',
      model: 'Google TPU v5e',
      utilizationPercent: 7,
      powerWatts: 80,
    });
    expect(tpu.temperatureCelsius).toBeUndefined();
    expect(tpu.memoryTotalMiB).toBeUndefined();
    expect((tpu.invalidReadings ?? []).map((r) => r.field)).toEqual(['temperatureCelsius']);
  });

  it('the GPU reader keeps only the GPU row', () => {
    const identity = DEVICES.filter((d) => d.type === 'GPU').map((labels) => ({ labels, value: AT }));
    expect(joinAllSmi('east', identity, VALUES).map((g) => g.uuid)).toEqual(['GPU-a']);
  });

  it('shows a namespace-scoped caller none of them (all-smi attributes no pods)', async () => {
    const { items } = await npusOf('all-smi').npuSamples({ namespaces: ['ml-training'] });
    expect(items).toEqual([]);
  });

  it('does not ask all-smi on a cluster whose GPUs another exporter reports', async () => {
    const queries: string[] = [];
    const { items } = await npusOf('dcgm', queries).npuSamples({});
    expect(items).toEqual([]);
    expect(queries.some((q) => q.includes('all_smi'))).toBe(false);
  });

  it.each([
    ['Furiosa RNGD', 'furiosa'],
    ['Rebellions RBLN-CA12', 'rebellions'],
    ['Google TPU v5e', 'google'],
    ['Tenstorrent Wormhole n300', 'tenstorrent'],
    ['AWS Trainium2', 'aws'],
    ['Intel Gaudi 3', 'intel'],
    ['HL-325L', 'intel'],
    ['Mystery Accelerator', 'unknown'],
  ])('names the maker of %s: %s', (name, vendor) => {
    expect(npuVendorOf(name)).toBe(vendor);
  });
});
