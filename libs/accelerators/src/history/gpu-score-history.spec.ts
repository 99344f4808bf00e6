import type { GpuSeriesPoint, GpuSeriesSource } from '@kcloud/metrics-source';
import type { ClusterRegistry, PromQL, RangeSeries } from '@kcloud/prometheus';
import { GpuHistoryService } from './gpu-history.service';
import { scoresByKey } from './gpu-score-history';
import { GpuScoreReader } from './gpu-score-reader';
import { historyPoints } from './history-range';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const series = (gpu_id: string, status: string, points: [number, number][]): RangeSeries => ({
  labels: { __name__: 'gpu_utilization_score', gpu_id, cluster: 'east', status, namespace: 'llm' },
  points: points.map(([s, value]) => ({ timestampMs: at(s).getTime(), value })),
});
const range = { from: at(0), to: at(45), stepSeconds: 15 };

describe('scoresByKey', () => {
  it('takes status from the series labels, keys MIG instances as UUID/instance, and leaves steps without a series out', () => {
    const byKey = scoresByKey([
      series('GPU-a', 'idle', [[0, 4]]),
      series('GPU-a', 'normal', [[30, 55]]),
      series('GPU-m/3', 'high', [
        [15, 90],
        [30, Number.NaN],
      ]),
    ]);
    expect(historyPoints(range, ['score', 'status'], byKey.get('GPU-a'))).toEqual([
      { timestamp: at(0), score: 4, status: 'idle' },
      { timestamp: at(15) },
      { timestamp: at(30), score: 55, status: 'normal' },
      { timestamp: at(45) },
    ]);
    expect([...(byKey.get('GPU-m/3')?.entries() ?? [])]).toEqual([
      [at(15).getTime(), { score: 90, status: 'high' }],
    ]);
    expect(byKey.has('GPU-m')).toBe(false);
  });
});

/** A registry of two clusters behind one Prometheus URL and one behind another; records the queries. */
function fakeRegistry(answer: RangeSeries[]) {
  const queries: { cluster: string; query: string }[] = [];
  const urls: Record<string, string> = {
    east: 'http://global',
    west: 'http://global',
    north: 'http://north',
  };
  const registry = {
    has: (n: string) => n in urls,
    config: (n: string) => ({ name: n, url: urls[n] }),
    async fanOut(clusters: string[], fn: (client: unknown, c: { name: string }) => Promise<RangeSeries[]>) {
      const results = await Promise.all(
        clusters.map(async (name) => ({
          cluster: name,
          value: await fn(
            {
              range: async (query: PromQL) => {
                queries.push({ cluster: name, query });
                return answer;
              },
            },
            { name },
          ),
        })),
      );
      return { results, failures: [] };
    },
  } as unknown as ClusterRegistry;
  return { registry, queries };
}

describe('GpuScoreReader', () => {
  it('asks each Prometheus URL once for all GPUs, with cluster, gpu_id and the caller’s namespaces matched', async () => {
    const { registry, queries } = fakeRegistry([]);
    await new GpuScoreReader(registry).read(
      ['east', 'west', 'north', 'gone'],
      ['GPU-a', 'GPU-m/3'],
      ['llm'],
      range,
    );
    expect(queries.map((q) => q.cluster).sort()).toEqual(['east', 'north']);
    expect(queries.find((q) => q.cluster === 'east')?.query).toBe(
      'gpu_utilization_score{cluster=~"east|west", gpu_id=~"GPU-a|GPU-m/3", namespace=~"llm"}',
    );
  });
});

describe('GpuScoreReader with ANALYZER_HISTORY_PROMETHEUS', () => {
  const reader = (registry: ClusterRegistry, historyPrometheus: string) =>
    new GpuScoreReader(registry, { analyzer: { historyPrometheus } } as never);

  it('reads every cluster’s GPUs in one query on the named cluster’s Prometheus', async () => {
    const { registry, queries } = fakeRegistry([]);
    await reader(registry, 'north').read(['east', 'west'], ['GPU-a'], undefined, range);
    expect(queries).toEqual([
      { cluster: 'north', query: 'gpu_utilization_score{cluster=~"east|west", gpu_id=~"GPU-a"}' },
    ]);
  });

  it('reports a cluster failure, not an empty success, when it names no configured cluster', async () => {
    const { registry, queries } = fakeRegistry([]);
    const { failures } = await reader(registry, 'typo').read(['east'], ['GPU-a'], undefined, range);
    expect(queries).toHaveLength(0);
    expect(failures).toEqual([expect.objectContaining({ cluster: 'typo', code: 'CLUSTER_UNAVAILABLE' })]);
  });
});

describe('GpuHistoryService with scores', () => {
  const dcgm: GpuSeriesPoint = {
    cluster: 'east',
    node: 'n1',
    uuid: 'GPU-a',
    index: 0,
    model: 'H100',
    observedAt: at(0),
    timestamp: at(0),
    powerWatts: 300,
  };
  const source = {
    async *gpuMetricSeries() {
      yield { items: [dcgm], failures: [] };
    },
  } as unknown as GpuSeriesSource;

  it('adds score and status to the DCGM readings of the same step, and keeps steps only the analyzer saw', async () => {
    const { registry } = fakeRegistry([
      series('GPU-a', 'low', [
        [0, 12],
        [15, 14],
      ]),
    ]);
    const service = new GpuHistoryService(source, new GpuScoreReader(registry));
    const { byKey } = await service.series([{ cluster: 'east', uuid: 'GPU-a' }], range, {}, true);
    expect(historyPoints(range, ['powerWatts', 'score', 'status'], byKey.get('GPU-a'))).toEqual([
      { timestamp: at(0), powerWatts: 300, score: 12, status: 'low' },
      { timestamp: at(15), score: 14, status: 'low' },
      { timestamp: at(30) },
      { timestamp: at(45) },
    ]);
  });

  it('does not read scores when no GPU asks for them', async () => {
    const { registry, queries } = fakeRegistry([]);
    await new GpuHistoryService(source, new GpuScoreReader(registry)).series(
      [{ cluster: 'east', uuid: 'GPU-a' }],
      range,
      {},
    );
    expect(queries).toHaveLength(0);
  });
});
