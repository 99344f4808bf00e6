import { ErrorCode, type PartialResult } from '@kcloud/common';
import type {
  DeviceFilter,
  GpuSample,
  GpuSeriesPoint,
  GpuSeriesSource,
  SeriesRange,
} from '@kcloud/metrics-source';
import { ExportFormat } from '../formats/export-format';
import type { ExportRequest } from '../request/export-request';
import type { Row } from '../table';
import { CurrentGpus } from './current-gpus';
import type { TablePlan } from './dataset';
import { ExportDatasetName } from './export-dataset.enum';
import { MetricsDataset } from './metrics.dataset';

const T = Date.UTC(2025, 0, 1);
const gpu = (uuid: string, cluster: string, namespace?: string): GpuSample => ({
  cluster,
  node: 'n1',
  uuid,
  index: 0,
  model: 'L40S',
  namespace,
  observedAt: new Date(T),
});

/** A source that answers two steps for whatever it is asked, and remembers the filter it got. */
class FakeSource {
  filters: DeviceFilter[] = [];
  ranges: SeriesRange[] = [];
  failWest = false;

  async *gpuMetricSeries(
    filter: DeviceFilter,
    range: SeriesRange,
  ): AsyncGenerator<PartialResult<GpuSeriesPoint>> {
    this.filters.push(filter);
    this.ranges.push(range);
    for (const t of [T, T + range.stepSeconds * 1000]) {
      const items = [gpu('A', 'east', 'ml'), gpu('B', 'east', 'other'), gpu('C', 'east')].map((g) => ({
        ...g,
        timestamp: new Date(t),
        powerWatts: 100,
      }));
      yield {
        items,
        failures: this.failWest
          ? [{ cluster: 'west', code: ErrorCode.CLUSTER_UNAVAILABLE, message: 'down' }]
          : [],
      };
    }
  }
}

const request = (over: Partial<ExportRequest> = {}): ExportRequest => ({
  dataset: ExportDatasetName.METRICS,
  format: ExportFormat.CSV,
  from: new Date(T),
  to: new Date(T + 3_600_000),
  lineEnding: 'lf',
  ...over,
});

async function rowsOf(plan: TablePlan): Promise<Row[]> {
  const out: Row[] = [];
  for await (const b of plan.rows(new AbortController().signal)) out.push(...b);
  return out;
}

describe('MetricsDataset', () => {
  // The real CurrentGpus (its seriesPlan plans the table) with today's GPUs faked.
  const current = Object.assign(Object.create(CurrentGpus.prototype) as CurrentGpus, {
    list: async () => [gpu('A', 'east', 'ml'), gpu('B', 'east', 'ml')],
  });
  const limits = { maxRows: 1000, batchRows: 100 };

  it('narrows the filter by the scope, drops rows outside it and estimates rows from the GPUs in scope', async () => {
    const source = new FakeSource();
    const dataset = new MetricsDataset(source as unknown as GpuSeriesSource, current);
    const plan = await dataset.plan({
      request: request({ namespaces: ['ml', 'other'] }),
      scope: { namespaces: ['ml'] },
      limits,
    });
    expect(plan).toMatchObject({ stepSeconds: 60, estimatedRows: 61 * 2 });
    const rows = await rowsOf(plan);
    expect(source.filters).toEqual([{ namespaces: ['ml'] }]);
    expect(source.ranges[0]).toMatchObject({ stepSeconds: 60, maxRowsPerBatch: 100 });
    expect(rows.map((r) => [r[3], r[8]])).toEqual([
      ['A', 'ml'],
      ['A', 'ml'],
    ]);
  });

  it('fails the export when a cluster fails, naming it', async () => {
    const source = new FakeSource();
    source.failWest = true;
    const plan = await new MetricsDataset(source as unknown as GpuSeriesSource, current).plan({
      request: request(),
      scope: {},
      limits,
    });
    await expect(rowsOf(plan)).rejects.toMatchObject({
      code: 'CLUSTER_UNAVAILABLE',
      details: { cluster: 'west' },
    });
  });

  it('rejects an explicit step that would exceed the row cap before reading anything', async () => {
    const source = new FakeSource();
    const dataset = new MetricsDataset(source as unknown as GpuSeriesSource, current);
    await expect(
      dataset.plan({ request: request({ stepSeconds: 1 }), scope: {}, limits }),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', details: { argument: 'step' } });
    expect(source.filters).toHaveLength(0);
  });
});
