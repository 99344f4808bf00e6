import { Test, type TestingModule } from '@nestjs/testing';
import { AppConfig, ConfigModule, loadConfig, type PartialResult } from '@kcloud/common';
import { ClusterRegistry, PrometheusClientModule } from '@kcloud/prometheus';
import {
  FakePrometheus,
  json,
  matrix,
  type SeenRequest,
  vector,
  parsePromQL,
} from '@kcloud/prometheus/testing';
import { DcgmTenantShapes } from '../gpu-snapshot/tenant-shapes';
import { firstN } from '../testing/first-n';
import { PrometheusGpuSeries } from './gpu-series.prometheus';

const T0 = Date.UTC(2025, 0, 1) / 1000;
const GPUS: readonly Record<string, string>[] = [
  {
    UUID: 'GPU-a',
    gpu: '0',
    Hostname: 'n1',
    modelName: 'NVIDIA H100 80GB HBM3',
    namespace: 'ml',
    pod: 'job-0',
    container: 'c',
  },
  { UUID: 'GPU-b', gpu: '1', Hostname: 'n1', modelName: 'NVIDIA H100 80GB HBM3' },
];

/** Answers range queries like a Prometheus holding GPUS with constant values: power 100 W, util 50 %. */
function rangeAnswer(req: SeenRequest): unknown {
  const query = req.params.get('query') ?? '';
  // The instant count that sizes the first chunk.
  if (req.path.endsWith('/query'))
    return vector([{ metric: {}, value: [Number(req.params.get('time')), String(GPUS.length)] }]);
  const [start, end, step] = firstN(
    ['start', 'end', 'step'].map((k) => Number(req.params.get(k))),
    3,
  );
  const steps: number[] = [];
  for (let t = start; t <= end + 1e-9; t += step) steps.push(t);
  const series = (labels: Record<string, string>, value: (t: number) => number) => ({
    metric: labels,
    values: steps.map((t): [number, string] => [t, String(value(t))]),
  });
  if (query.startsWith('timestamp(')) return matrix(GPUS.map((g) => series(g, (t) => t - 5)));
  if (query.includes('kcloud_metric'))
    return matrix(
      GPUS.flatMap((g) => [
        series({ kcloud_metric: 'DCGM_FI_DEV_POWER_USAGE', UUID: g.UUID ?? '' }, () => 100),
        series({ kcloud_metric: 'DCGM_FI_DEV_GPU_UTIL', UUID: g.UUID ?? '' }, () => 50),
      ]),
    );
  if (query.startsWith('DCGM_FI_DEV_POWER_USAGE')) return matrix(GPUS.map((g) => series(g, () => 100)));
  return matrix([]);
}

async function collect<T>(it: AsyncIterable<PartialResult<T>>): Promise<PartialResult<T>[]> {
  const out: PartialResult<T>[] = [];
  for await (const b of it) out.push(b);
  return out;
}

describe('PrometheusGpuSeries range reads (metrics and power series)', () => {
  let east: FakePrometheus;
  let deadUrl: string;
  let moduleRef: TestingModule;
  let source: PrometheusGpuSeries;
  const range = {
    from: new Date(T0 * 1000),
    to: new Date((T0 + 3600) * 1000),
    stepSeconds: 60,
    maxRowsPerBatch: 40,
  };

  beforeEach(async () => {
    east = await FakePrometheus.start();
    east.handler = (req, res) => json(res, 200, rangeAnswer(req));
    const dead = await FakePrometheus.start();
    deadUrl = dead.url;
    await dead.stop();
    const config = loadConfig({
      PROMETHEUS_RETRIES: '0',
      PROMETHEUS_TIMEOUT_MS: '1000',
      DCGM_TENANT_LABELS: 'plain',
      PROMETHEUS_CLUSTERS: JSON.stringify([
        { name: 'east', url: east.url },
        { name: 'west', url: deadUrl },
      ]),
    });
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.fromConfig(config), PrometheusClientModule],
    }).compile();
    const registry = moduleRef.get(ClusterRegistry);
    const app = moduleRef.get(AppConfig);
    source = new PrometheusGpuSeries(registry, app, new DcgmTenantShapes(registry, app));
  });

  afterEach(async () => {
    await moduleRef.close();
    await east.stop();
  });

  it('reads metrics in chunks with two range queries per chunk per cluster, every step once, failures reported', async () => {
    const batches = await collect(source.gpuMetricSeries({ clusters: ['east', 'west'] }, range));
    const points = batches.flatMap((b) => b.items);
    expect(points).toHaveLength(61 * GPUS.length);
    expect(new Set(points.map((p) => p.timestamp.getTime())).size).toBe(61);
    expect(points.every((p) => p.powerWatts === 100 && p.utilizationPercent === 50)).toBe(true);
    expect(points.find((p) => p.uuid === 'GPU-a')).toMatchObject({
      namespace: 'ml',
      pod: 'job-0',
      node: 'n1',
    });
    expect(batches.every((b) => b.items.length <= 40)).toBe(true);
    const ranges = east.requests.filter((r) => r.path.endsWith('/query_range'));
    const chunks = new Set(ranges.map((r) => r.params.get('start'))).size;
    expect(ranges).toHaveLength(2 * chunks);
    // Plus one instant count that sized the first chunk.
    expect(east.requests).toHaveLength(ranges.length + 1);
    expect(firstN(batches, 1)[0].failures.map((f) => f.cluster)).toEqual(['west']);
  });

  it('reads power with one range query per chunk per cluster, aggregated per node and namespace', async () => {
    const batches = await collect(source.gpuPowerSeries({ clusters: ['east'] }, range));
    const points = batches.flatMap((b) => b.items);
    expect(points).toHaveLength(61 * 2);
    expect(points[0]).toEqual({
      timestamp: range.from,
      cluster: 'east',
      node: 'n1',
      gpuCount: 1,
      powerWatts: 100,
    });
    expect(points[1]).toMatchObject({ namespace: 'ml', gpuCount: 1, powerWatts: 100 });
    const ranges = east.requests.filter((r) => r.path.endsWith('/query_range'));
    expect(new Set(ranges.map((r) => r.params.get('start'))).size).toBe(ranges.length);
    expect(east.requests).toHaveLength(ranges.length + 1);
  });

  it("reads only the filter's tenants' power rows, each divided inside PromQL by its board's row count", async () => {
    const hostile = 'a"} or vector(1) #';
    await collect(
      source.gpuPowerSeries({ clusters: ['east'], namespaces: [hostile, 'ml'], pods: ['job-0'] }, range),
    );
    expect(east.queries().length).toBeGreaterThan(1);
    for (const query of east.queries()) {
      const parsed = parsePromQL(query);
      expect(parsed.errors).toEqual([]);
      // Every read of board power (count and range) returns only the tenants' rows, divided by their board's rows.
      expect(query).toContain('/ on (UUID) group_left () (count by (UUID) (DCGM_FI_DEV_POWER_USAGE))');
      expect(query).toMatch(/namespace=~"a.*\|ml"/);
      expect(query).toContain('pod=~"job-0"');
    }
  });

  it('pushes tenant filters into PromQL as escaped literals that parse', async () => {
    const hostile = 'a"} or vector(1) #';
    await collect(source.gpuMetricSeries({ clusters: ['east'], namespaces: [hostile, 'ml'] }, range));
    for (const query of east.queries()) {
      const parsed = parsePromQL(query);
      expect(parsed.errors).toEqual([]);
      expect(parsed.count('BinaryExpr')).toBe(0);
    }
    expect(east.queries().some((q) => q.includes('namespace=~'))).toBe(true);
  });
});
