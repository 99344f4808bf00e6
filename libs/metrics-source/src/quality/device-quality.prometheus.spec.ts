import { Test, type TestingModule } from '@nestjs/testing';
import { AppConfig, ConfigModule, loadConfig } from '@kcloud/common';
import { ClusterRegistry, PrometheusClientModule } from '@kcloud/prometheus';
import { FakePrometheus, json, type SeenRequest, vector, parsePromQL } from '@kcloud/prometheus/testing';
import { firstN } from '../testing/first-n';
import { PrometheusDeviceQuality } from './device-quality.prometheus';

const T = 1_750_000_000;
const UP = { instance: 'gpu-node-1:9400', job: 'dcgm' };
const DOWN = { instance: 'gpu-node-2:9400', job: 'dcgm' };
const identity = (UUID: string, target: { readonly instance: string; readonly job: string }) => ({
  UUID,
  gpu: '0',
  Hostname: target.instance.replace(/:\d+$/, ''),
  modelName: 'NVIDIA H100 80GB HBM3',
  ...target,
});

/** A Prometheus with two dcgm targets scraped every 15 s; node 2 is down when `down` is set, GPU-a is frozen. */
function answer(req: SeenRequest, state: { down: boolean; intervals?: [string, number][] }): unknown {
  const q = req.params.get('query') ?? '';
  const row = (metric: Record<string, string>, value: number) => ({
    metric,
    value: [T, String(value)] as [number, string],
  });
  if (q.startsWith('max_over_time((timestamp(')) return vector([row(identity('GPU-b', DOWN), T - 40)]);
  const rows = [
    row({ __name__: 'up', ...UP, kcloud_quality: 'up' }, 1),
    row({ __name__: 'up', ...DOWN, kcloud_quality: 'up' }, state.down ? 0 : 1),
  ];
  if (q.includes('"interval"') && state.intervals)
    for (const [window, value] of state.intervals)
      rows.push(row({ ...UP, kcloud_quality: 'interval', kcloud_window: window }, value));
  else if (q.includes('"interval"'))
    rows.push(
      row({ ...UP, kcloud_quality: 'interval' }, 15.001),
      row({ ...DOWN, kcloud_quality: 'interval' }, 14.999),
    );
  if (q.includes('"frozen"')) rows.push(row({ UUID: 'GPU-a', kcloud_quality: 'frozen' }, 1));
  return vector(rows);
}

describe('PrometheusDeviceQuality', () => {
  let prom: FakePrometheus;
  let moduleRef: TestingModule;
  let reader: PrometheusDeviceQuality;
  let state: { down: boolean; intervals?: [string, number][] };
  let now: number;

  beforeEach(async () => {
    prom = await FakePrometheus.start();
    state = { down: false };
    prom.handler = (req, res) => json(res, 200, answer(req, state));
    const config = loadConfig({
      PROMETHEUS_RETRIES: '0',
      PROMETHEUS_CLUSTERS: JSON.stringify([{ name: 'east', url: prom.url }]),
    });
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.fromConfig(config), PrometheusClientModule],
    }).compile();
    now = T * 1000;
    reader = new PrometheusDeviceQuality(
      moduleRef.get(ClusterRegistry),
      moduleRef.get(AppConfig),
      { frozenSamples: 10, downLookbackSeconds: 600 },
      () => now,
    );
  });

  afterEach(async () => {
    await moduleRef.close();
    await prom.stop();
  });

  async function read() {
    const before = prom.requests.length;
    const { items, failures } = await reader.gpuEvidence({});
    expect(failures).toEqual([]);
    const [evidence] = firstN(items, 1);
    return { evidence, queries: prom.queries().slice(before) };
  }

  it('reads up and intervals in one request, then up and frozen devices in one request per read', async () => {
    const first = await read();
    expect(first.queries).toHaveLength(1);
    expect(first.queries[0]).not.toContain('"frozen"');
    expect(first.evidence.targets).toEqual([
      { target: UP, up: true, scrapeIntervalSeconds: 15 },
      { target: DOWN, up: true, scrapeIntervalSeconds: 15 },
    ]);
    const second = await read();
    expect(second.queries).toHaveLength(1);
    expect(second.queries[0]).not.toContain('"interval"');
    // Ten scrapes of 15 s: the window of the frozen test.
    expect(second.queries[0]).toContain('changes(DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION[150s])');
    expect(second.evidence.frozenKeys).toEqual(['GPU-a']);
    for (const q of [...first.queries, ...second.queries]) expect(() => parsePromQL(q)).not.toThrow();
  });

  it.each([
    [
      'a long window over the short ones',
      [
        ['600', 2],
        ['120', 2.1],
        ['10', 1.33],
      ],
      2,
    ],
    [
      'the longest long window',
      [
        ['120', 2.1],
        ['600', 2],
      ],
      2,
    ],
    [
      'the larger short window (an edge sample counted twice only lowers the ratio)',
      [
        ['10', 1.33],
        ['7', 2],
      ],
      2,
    ],
  ] as [string, [string, number][], number][])(
    'takes %s as the interval',
    async (_name, intervals, expected) => {
      state.intervals = intervals;
      const { evidence } = await read();
      expect(evidence.targets.find((t) => t.target.instance === UP.instance)?.scrapeIntervalSeconds).toBe(
        expected,
      );
    },
  );

  it('measures the intervals again once their TTL has passed', async () => {
    await read();
    now += 31_000;
    expect((await read()).queries[0]).toContain('"interval"');
  });

  it('reads the last identity of the devices on a down target, with their target and last sample time', async () => {
    await read();
    state.down = true;
    const { evidence, queries } = await read();
    expect(queries).toHaveLength(2);
    expect(queries[1]).toContain('instance=~"gpu-node-2:9400"');
    expect(queries[1]).toContain('[600s:15s]');
    expect(evidence.unreachable).toEqual([
      expect.objectContaining({
        uuid: 'GPU-b',
        node: 'gpu-node-2',
        model: 'NVIDIA H100 80GB HBM3',
        scrapeTarget: DOWN,
        observedAt: new Date((T - 40) * 1000),
      }),
    ]);
    const [unreachable] = firstN(evidence.unreachable, 1);
    expect(unreachable.temperatureCelsius).toBeUndefined();
  });
});
