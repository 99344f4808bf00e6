import type { ClusterRegistry, PromQL, RangeSeries } from '@kcloud/prometheus';
import { scoresByKey } from './score-history-join';
import { PrometheusScoreHistory } from './score-history.prometheus';

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
    expect([...(byKey.get('GPU-a')?.entries() ?? [])]).toEqual([
      [at(0).getTime(), { score: 4, status: 'idle' }],
      [at(30).getTime(), { score: 55, status: 'normal' }],
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

describe('PrometheusScoreHistory', () => {
  it('asks each Prometheus URL once for all GPUs, with cluster, gpu_id and the caller’s namespaces matched', async () => {
    const { registry, queries } = fakeRegistry([series('GPU-a', 'low', [[0, 12]])]);
    const { byKey } = await new PrometheusScoreHistory(registry).scoreHistory(
      { clusters: ['east', 'west', 'north', 'gone'], gpuIds: ['GPU-a', 'GPU-m/3'], namespaces: ['llm'] },
      range,
    );
    expect(queries.map((q) => q.cluster).sort()).toEqual(['east', 'north']);
    expect(queries.find((q) => q.cluster === 'east')?.query).toBe(
      'gpu_utilization_score{cluster=~"east|west", gpu_id=~"GPU-a|GPU-m/3", namespace=~"llm"}',
    );
    expect(byKey.get('GPU-a')?.get(at(0).getTime())).toEqual({ score: 12, status: 'low' });
  });

  it('with ANALYZER_HISTORY_PROMETHEUS, reads every cluster’s GPUs in one query on the named cluster’s Prometheus', async () => {
    const { registry, queries } = fakeRegistry([]);
    await new PrometheusScoreHistory(registry, 'north').scoreHistory(
      { clusters: ['east', 'west'], gpuIds: ['GPU-a'] },
      range,
    );
    expect(queries).toEqual([
      { cluster: 'north', query: 'gpu_utilization_score{cluster=~"east|west", gpu_id=~"GPU-a"}' },
    ]);
  });

  it('reports a cluster failure, not an empty success, when ANALYZER_HISTORY_PROMETHEUS names no configured cluster', async () => {
    const { registry, queries } = fakeRegistry([]);
    const { failures } = await new PrometheusScoreHistory(registry, 'typo').scoreHistory(
      { clusters: ['east'], gpuIds: ['GPU-a'] },
      range,
    );
    expect(queries).toHaveLength(0);
    expect(failures).toEqual([expect.objectContaining({ cluster: 'typo', code: 'CLUSTER_UNAVAILABLE' })]);
  });
});
