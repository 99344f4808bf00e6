import { Test, type TestingModule } from '@nestjs/testing';
import { AppConfig, ConfigModule, loadConfig } from '@kcloud/common';
import { ClusterRegistry, PrometheusClientModule } from '@kcloud/prometheus';
import { FakePrometheus, json, type SeenRequest, vector } from '@kcloud/prometheus/testing';
import { PrometheusGpuWindow } from './gpu-window.prometheus';

const T = 1_750_000_000;
const gpu = (UUID: string) => ({ UUID, gpu: '0', Hostname: 'n1', modelName: 'NVIDIA H100 80GB HBM3' });

/** A Prometheus holding `gpus`: 30,000 MiB used of 81,000 usable, 559 reserved, 700 W limit, 350 W drawn. */
function answer(req: SeenRequest, gpus: readonly string[]): unknown {
  const q = req.params.get('query') ?? '';
  const rows = (labels: (uuid: string) => Record<string, string>, value: number) =>
    vector(gpus.map((u) => ({ metric: labels(u), value: [T, String(value)] as [number, string] })));
  const byUuid = (uuid: string) => ({ UUID: uuid });
  if (q.startsWith('timestamp(')) return rows(gpu, T - 5);
  if (q.includes('DCGM_FI_DEV_FB_FREE')) return rows(byUuid, 81_000);
  if (q.includes('FB_RESERVED')) return rows(byUuid, 559);
  if (q.includes('POWER_MGMT_LIMIT')) return rows(byUuid, 700);
  if (q.includes('FB_USED')) return rows(byUuid, 30_000);
  if (q.includes('POWER_USAGE')) return rows(byUuid, 350);
  return vector([]);
}

describe('PrometheusGpuWindow device constants', () => {
  let prom: FakePrometheus;
  let moduleRef: TestingModule;
  let reader: PrometheusGpuWindow;
  let gpus: string[];
  let now: number;

  beforeEach(async () => {
    prom = await FakePrometheus.start();
    gpus = ['GPU-a', 'GPU-b'];
    prom.handler = (req, res) => json(res, 200, answer(req, gpus));
    const config = loadConfig({
      PROMETHEUS_RETRIES: '0',
      ANALYZER_CONSTANTS_TTL_SECONDS: '300',
      PROMETHEUS_CLUSTERS: JSON.stringify([{ name: 'east', url: prom.url }]),
    });
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.fromConfig(config), PrometheusClientModule],
    }).compile();
    now = T * 1000;
    reader = new PrometheusGpuWindow(moduleRef.get(ClusterRegistry), moduleRef.get(AppConfig), () => now);
  });

  afterEach(async () => {
    await moduleRef.close();
    await prom.stop();
  });

  const constantRequests = () =>
    prom.queries().filter((q) => /FB_FREE|FB_RESERVED|POWER_MGMT_LIMIT/.test(q)).length;

  async function read(filter = {}) {
    const before = prom.requests.length;
    const constantsBefore = constantRequests();
    const { items, failures } = await reader.gpuWindowAggregates(filter, { windowSeconds: 600 });
    expect(failures).toEqual([]);
    return {
      items,
      requests: prom.requests.length - before,
      constants: constantRequests() - constantsBefore,
    };
  }

  it('reads the constants with the first window, then reuses them until the TTL runs out', async () => {
    const first = await read();
    expect([first.requests, first.constants]).toEqual([13, 3]);
    expect(
      first.items.map((a) => [
        a.uuid,
        a.memoryUsedMiB,
        a.memoryFreeMiB,
        a.memoryReservedMiB,
        a.powerLimitWatts,
      ]),
    ).toEqual([
      ['GPU-a', 30_000, 51_000, 559, 700],
      ['GPU-b', 30_000, 51_000, 559, 700],
    ]);
    now += 299_000;
    const cached = await read();
    expect([cached.requests, cached.constants]).toEqual([10, 0]);
    expect(cached.items.map((a) => a.memoryFreeMiB)).toEqual([51_000, 51_000]);
    now += 1_000;
    expect((await read()).constants).toBe(3);
  });

  it('reads the constants at once when a device appears, instead of scoring it without capacity', async () => {
    await read();
    gpus = ['GPU-a', 'GPU-b', 'GPU-new'];
    const next = await read();
    expect(next.constants).toBe(3);
    expect(next.items.find((a) => a.uuid === 'GPU-new')).toMatchObject({
      memoryFreeMiB: 51_000,
      powerLimitWatts: 700,
    });
    expect((await read()).constants).toBe(0);
  });

  it('never caches a filtered read, so it cannot stand in for the fleet', async () => {
    expect((await read({ uuids: ['GPU-a'] })).constants).toBe(3);
    expect((await read({ uuids: ['GPU-a'] })).constants).toBe(3);
    expect((await read()).constants).toBe(3);
  });
});

describe('PrometheusGpuWindow on an nvidia_gpu_exporter cluster', () => {
  let prom: FakePrometheus;
  let moduleRef: TestingModule;
  let reader: PrometheusGpuWindow;

  beforeEach(async () => {
    prom = await FakePrometheus.start();
    prom.handler = (req, res) => {
      const q = req.params.get('query') ?? '';
      const row = (metric: Record<string, string>, value: number) => ({
        metric,
        value: [T, String(value)] as [number, string],
      });
      if (q.startsWith('timestamp('))
        return json(res, 200, vector([row({ uuid: 'abc', name: 'Tesla T4', node: 'n1' }, T - 5)]));
      if (q.includes('utilization_gpu_ratio')) return json(res, 200, vector([row({ uuid: 'abc' }, 0.42)]));
      if (q.includes('memory_used_bytes'))
        return json(res, 200, vector([row({ uuid: 'abc' }, 1024 * 1024 * 1000)]));
      return json(res, 200, vector([]));
    };
    const config = loadConfig({
      PROMETHEUS_RETRIES: '0',
      PROMETHEUS_CLUSTERS: JSON.stringify([{ name: 'nv', url: prom.url, gpuExporter: 'nvidia-smi' }]),
    });
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.fromConfig(config), PrometheusClientModule],
    }).compile();
    reader = new PrometheusGpuWindow(moduleRef.get(ClusterRegistry), moduleRef.get(AppConfig));
  });

  afterEach(async () => {
    await moduleRef.close();
    await prom.stop();
  });

  it("averages the exporter's own families by uuid and converts them like its instant samples", async () => {
    const { items, failures } = await reader.gpuWindowAggregates({}, { windowSeconds: 300 });
    expect(failures).toEqual([]);
    expect(items).toEqual([
      expect.objectContaining({
        uuid: 'GPU-abc',
        node: 'n1',
        model: 'Tesla T4',
        tenants: [],
        utilizationPercent: 42,
        memoryUsedMiB: 1000,
      }),
    ]);
    const windows = prom.queries().filter((q) => q.includes('avg_over_time'));
    expect(windows).toContain('avg by (uuid) (avg_over_time(nvidia_smi_utilization_gpu_ratio[300s]))');
    expect(windows.some((q) => q.includes('DCGM_'))).toBe(false);
  });

  it('answers a tenant filter with nothing and asks Prometheus nothing: the exporter knows no pods', async () => {
    expect((await reader.gpuWindowAggregates({ namespaces: ['ml'] }, { windowSeconds: 300 })).items).toEqual(
      [],
    );
    expect(prom.requests).toHaveLength(0);
  });
});
