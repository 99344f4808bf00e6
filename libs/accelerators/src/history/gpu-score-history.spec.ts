import { FakeScoreHistory, type GpuSeriesPoint, type GpuSeriesSource } from '@kcloud/metrics-source';
import { GpuHistoryService } from './gpu-history.service';
import { historyPoints } from './history-range';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const range = { from: at(0), to: at(45), stepSeconds: 15 };

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
  const scored = () =>
    new FakeScoreHistory({
      byKey: new Map([
        [
          'GPU-a',
          new Map([
            [at(0).getTime(), { score: 12, status: 'low' }],
            [at(15).getTime(), { score: 14, status: 'low' }],
          ]),
        ],
      ]),
      failures: [],
    });

  it('adds score and status to the DCGM readings of the same step, and keeps steps only the analyzer saw', async () => {
    const scores = scored();
    const service = new GpuHistoryService(source, scores);
    const { byKey } = await service.series([{ cluster: 'east', uuid: 'GPU-a' }], range, {}, true);
    expect(historyPoints(range, ['powerWatts', 'score', 'status'], byKey.get('GPU-a'))).toEqual([
      { timestamp: at(0), powerWatts: 300, score: 12, status: 'low' },
      { timestamp: at(15), score: 14, status: 'low' },
      { timestamp: at(30) },
      { timestamp: at(45) },
    ]);
    expect(scores.calls.map((c) => c.filter)).toEqual([{ clusters: ['east'], gpuIds: ['GPU-a'] }]);
  });

  it('asks the score history for the caller’s clusters and namespaces only', async () => {
    const scores = scored();
    await new GpuHistoryService(source, scores).series(
      [
        { cluster: 'east', uuid: 'GPU-a' },
        { cluster: 'west', uuid: 'GPU-b' },
      ],
      range,
      { clusters: ['east'], namespaces: ['llm'] },
      true,
    );
    expect(scores.calls.map((c) => c.filter)).toEqual([
      { clusters: ['east'], gpuIds: ['GPU-a', 'GPU-b'], namespaces: ['llm'] },
    ]);
  });

  it('does not read scores when no GPU asks for them', async () => {
    const scores = scored();
    await new GpuHistoryService(source, scores).series([{ cluster: 'east', uuid: 'GPU-a' }], range, {});
    expect(scores.calls).toHaveLength(0);
  });
});
