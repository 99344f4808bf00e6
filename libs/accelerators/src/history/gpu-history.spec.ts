import {
  type DeviceFilter,
  FakeScoreHistory,
  type GpuSeriesPoint,
  type GpuSeriesSource,
  type SeriesRange,
} from '@kcloud/metrics-source';
import { GpuHistoryService } from './gpu-history.service';
import { historyPoints, historyRange, MAX_POINTS_PER_GPU, MAX_POINTS_PER_REQUEST } from './history-range';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const point = (uuid: string, s: number, extra: Partial<GpuSeriesPoint> = {}): GpuSeriesPoint => ({
  cluster: 'east',
  node: 'n1',
  uuid,
  index: 0,
  model: 'H100',
  observedAt: at(s),
  timestamp: at(s),
  ...extra,
});

/** A source that records the filters it was asked for and answers the given points. */
function fakeSource(points: readonly GpuSeriesPoint[]) {
  const calls: { filter: DeviceFilter; range: SeriesRange }[] = [];
  const source = {
    async *gpuMetricSeries(filter: DeviceFilter, range: SeriesRange) {
      calls.push({ filter, range });
      yield { items: points, failures: [] };
    },
  } as unknown as GpuSeriesSource;
  return { source, calls };
}

describe('historyRange', () => {
  it('keeps an explicit step and defaults to the coarser of a minute and ~720 points', () => {
    expect(historyRange(at(0), at(3600), 15).stepSeconds).toBe(15);
    expect(historyRange(at(0), at(3600), undefined).stepSeconds).toBe(60);
    expect(historyRange(at(0), new Date(at(0).getTime() + 7 * 86_400_000), null).stepSeconds).toBe(840);
  });

  it.each([
    ['a reversed range', at(60), at(0), 15],
    ['more than 11,000 points', at(0), new Date(at(0).getTime() + MAX_POINTS_PER_GPU * 1000), 1],
    ['a fractional step', at(0), at(60), 1.5],
  ])('refuses %s with BAD_USER_INPUT', (_, from, to, step) => {
    expect(() => historyRange(from, to, step)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});

describe('historyPoints', () => {
  it('gives a point per step timestamp, with nulls where the source had no reading', () => {
    const range = { from: at(0), to: at(30), stepSeconds: 15 };
    const byTs = new Map([
      [at(15).getTime(), point('GPU-a', 15, { powerWatts: 300, utilizationPercent: 50 })],
    ]);
    expect(historyPoints(range, ['powerWatts'], byTs)).toEqual([
      { timestamp: at(0) },
      { timestamp: at(15), powerWatts: 300 },
      { timestamp: at(30) },
    ]);
  });
});

describe('GpuHistoryService', () => {
  const range = { from: at(0), to: at(30), stepSeconds: 15 };

  it('reads every GPU asked for in one series read, narrowed to the caller’s namespaces and clusters', async () => {
    const { source, calls } = fakeSource([point('GPU-a', 0), point('GPU-b', 15)]);
    const service = new GpuHistoryService(source, new FakeScoreHistory());
    const { byKey } = await service.series(
      [
        { cluster: 'east', uuid: 'GPU-a' },
        { cluster: 'west', uuid: 'GPU-b' },
      ],
      range,
      { namespaces: ['llm'], clusters: ['east'] },
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]!.filter).toEqual({ clusters: ['east'], uuids: ['GPU-a', 'GPU-b'], namespaces: ['llm'] });
    expect(calls[0]!.range).toMatchObject({ ...range, maxRowsPerBatch: MAX_POINTS_PER_REQUEST });
    expect([...byKey.keys()].sort()).toEqual(['GPU-a', 'GPU-b']);
  });

  it('does not read at all when the scope leaves no cluster', async () => {
    const { source, calls } = fakeSource([]);
    await new GpuHistoryService(source, new FakeScoreHistory()).series(
      [{ cluster: 'west', uuid: 'GPU-b' }],
      range,
      {
        clusters: ['east'],
      },
    );
    expect(calls).toHaveLength(0);
  });
});
