import type { DeviceFilter, NpuSeriesPoint, NpuSeriesSource, SeriesRange } from '@kcloud/metrics-source';
import type { PartialErrorsContext } from '@kcloud/common';
import { NPU_HISTORY_FIELDS, NpuHistoryMetric } from '../models/npu-history.model';
import { NpuHistoryLoaders } from './npu-history.loaders';
import { MAX_POINTS_PER_REQUEST } from './history-range';
import { npuHistoryKey, NpuHistoryService } from './npu-history.service';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const point = (
  cluster: string,
  uuid: string,
  s: number,
  extra: Partial<NpuSeriesPoint> = {},
): NpuSeriesPoint => ({
  cluster,
  node: 'n1',
  uuid,
  vendor: 'furiosa',
  model: 'RNGD',
  device: 'npu0',
  index: 0,
  observedAt: at(s),
  timestamp: at(s),
  invalidReadings: [],
  ...extra,
});

function fakeSource(points: readonly NpuSeriesPoint[]) {
  const calls: { filter: DeviceFilter; range: SeriesRange }[] = [];
  const source: NpuSeriesSource = {
    async npuSeries(filter, range) {
      calls.push({ filter, range });
      return { items: points, failures: [] };
    },
  };
  return { source, calls };
}

const range = { from: at(0), to: at(30), stepSeconds: 15 };

describe('NpuHistoryService', () => {
  it('reads every card in one series read narrowed to the scope, keyed by cluster and serial', async () => {
    const { source, calls } = fakeSource([
      point('east', 'F-1', 0, { powerWatts: 40 }),
      // A partitioned card repeats per pod at one step: the first reading is kept.
      point('east', 'F-1', 0, { powerWatts: 99, pod: 'other' }),
      point('west', 'F-1', 15, { powerWatts: 7 }),
    ]);
    const { byKey } = await new NpuHistoryService(source).series(
      [
        { cluster: 'east', uuid: 'F-1' },
        { cluster: 'west', uuid: 'F-1' },
      ],
      range,
      { namespaces: ['llm'] },
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]!.filter).toEqual({ clusters: ['east', 'west'], uuids: ['F-1'], namespaces: ['llm'] });
    expect(byKey.get(npuHistoryKey({ cluster: 'east', uuid: 'F-1' }))?.get(at(0).getTime())?.powerWatts).toBe(
      40,
    );
    expect(
      byKey.get(npuHistoryKey({ cluster: 'west', uuid: 'F-1' }))?.get(at(15).getTime())?.powerWatts,
    ).toBe(7);
  });

  it('does not read when the scope leaves no cluster', async () => {
    const { source, calls } = fakeSource([]);
    await new NpuHistoryService(source).series([{ cluster: 'west', uuid: 'F-1' }], range, {
      clusters: ['east'],
    });
    expect(calls).toHaveLength(0);
  });
});

describe('NpuHistoryLoaders (HistoryLoaders)', () => {
  const ctx = () => ({}) as PartialErrorsContext;

  it('batches the devices of one request asking one range into one read and fills nulls per step', async () => {
    const { source, calls } = fakeSource([point('east', 'A', 15, { utilizationPercent: 50, powerWatts: 3 })]);
    const loader = new NpuHistoryLoaders(new NpuHistoryService(source)).for(ctx(), {});
    const ref = (uuid: string) => ({
      cluster: 'east',
      uuid,
      id: npuHistoryKey({ cluster: 'east', uuid }),
      range,
    });
    const [a, b] = await Promise.all([
      loader.load({ ...ref('A'), fields: [NpuHistoryMetric.UTILIZATION_PERCENT] }),
      loader.load({ ...ref('B'), fields: NPU_HISTORY_FIELDS }),
    ]);
    expect(calls).toHaveLength(1);
    expect(a).toEqual([
      { timestamp: at(0) },
      { timestamp: at(15), utilizationPercent: 50 },
      { timestamp: at(30) },
    ]);
    expect(b.map((p) => Object.keys(p))).toEqual([['timestamp'], ['timestamp'], ['timestamp']]);
  });

  it('refuses a request whose devices ask for more than MAX_POINTS_PER_REQUEST points, before reading', async () => {
    const { source, calls } = fakeSource([]);
    const loader = new NpuHistoryLoaders(new NpuHistoryService(source)).for(ctx(), {});
    const long = { from: at(0), to: new Date(at(0).getTime() + 10_999_000), stepSeconds: 1 };
    const n = Math.ceil(MAX_POINTS_PER_REQUEST / 11_000) + 1;
    const loads = Array.from({ length: n }, (_, i) =>
      loader.load({ cluster: 'east', uuid: `N${i}`, id: `N${i}`, range: long, fields: NPU_HISTORY_FIELDS }),
    );
    await expect(Promise.all(loads)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(calls).toHaveLength(0);
  });
});
