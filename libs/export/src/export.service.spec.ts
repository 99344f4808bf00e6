import { PassThrough } from 'node:stream';
import { type Clock, DomainError, ErrorCode, loadConfig } from '@kcloud/common';
import { ClusterLabelResolution, FakeClusterLabels } from '@kcloud/metrics-source';
import type { DatasetContext, DatasetPlan, ExportDataset } from './datasets/dataset';
import { ExportDatasetName } from './datasets/export-dataset.enum';
import { ExportService } from './export.service';
import { ExportFormat } from './formats/export-format';
import { col, type Row } from './table';

const NOW = new Date('2025-05-06T07:08:09Z');
const clock = { now: () => NOW, nowMs: () => NOW.getTime() } as Clock;

/** A dataset whose rows come from a generator we watch: how many batches were pulled, whether it was closed. */
class FakeDataset implements ExportDataset {
  pulled = 0;
  closed = false;
  contexts: DatasetContext[] = [];

  constructor(
    readonly name: ExportDatasetName,
    private readonly batches: number,
    private readonly opts: { estimate?: number; failAt?: number; batchSize?: number } = {},
  ) {}

  async plan(context: DatasetContext): Promise<DatasetPlan> {
    this.contexts.push(context);
    const size = this.opts.batchSize ?? 2;
    return {
      kind: 'table',
      title: 'Fake',
      columns: [col('i', 'int'), col('name', 'string')],
      estimatedRows: this.opts.estimate ?? this.batches * size,
      rows: () => this.rows(size),
    };
  }

  private async *rows(size: number): AsyncGenerator<Row[]> {
    try {
      for (let b = 0; b < this.batches; b++) {
        this.pulled++;
        if (b === this.opts.failAt)
          throw new DomainError(ErrorCode.CLUSTER_UNAVAILABLE, "cluster 'west' unavailable");
        yield Array.from({ length: size }, (_, i): Row => [b * size + i, `row ${b * size + i}`]);
      }
    } finally {
      this.closed = true;
    }
  }
}

function service(datasets: ExportDataset[], env: Record<string, string> = {}): ExportService {
  const config = loadConfig({
    EXPORT_MAX_ROWS: '100',
    EXPORT_PDF_MAX_ROWS: '10',
    EXPORT_BATCH_ROWS: '100',
    ...env,
  });
  const labels = new FakeClusterLabels({
    east: { datacenter: 'dc1', platform: 'dgx' },
    west: { datacenter: 'dc2', platform: 'dgx' },
  });
  return new ExportService(config, clock, datasets, new ClusterLabelResolution(labels));
}

async function download(
  prepared: { writeTo(s: PassThrough, a: AbortSignal): Promise<void> },
  signal = new AbortController().signal,
) {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  await prepared.writeTo(sink, signal);
  return Buffer.concat(chunks).toString('utf8');
}

async function errorOf(run: () => Promise<unknown>): Promise<DomainError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('ExportService', () => {
  it('streams a dataset in the asked format with a file name naming dataset and range', async () => {
    const gpus = new FakeDataset(ExportDatasetName.GPUS, 3);
    const prepared = await service([gpus]).prepare(
      { dataset: 'gpus', format: 'csv', from: '2025-05-06T06:00:00Z', lineEnding: 'crlf' },
      {},
      new AbortController().signal,
    );
    expect(prepared.fileName).toBe('kcloud-gpus-20250506T060000Z-20250506T070809Z.csv');
    expect(prepared.contentType).toBe('text/csv; charset=utf-8; header=present');
    expect(await download(prepared)).toBe(
      'i,name\r\n0,row 0\r\n1,row 1\r\n2,row 2\r\n3,row 3\r\n4,row 4\r\n5,row 5\r\n',
    );
    expect(gpus.closed).toBe(true);
  });

  it('passes the caller scope and the limits to the dataset', async () => {
    const gpus = new FakeDataset(ExportDatasetName.GPUS, 1);
    await service([gpus]).prepare({ dataset: 'gpus' }, { namespaces: ['ml'] }, new AbortController().signal);
    expect(gpus.contexts[0]).toMatchObject({
      scope: { namespaces: ['ml'] },
      limits: { maxRows: 100, batchRows: 100 },
    });
  });

  it('resolves clusterLabel=name=value to the clusters carrying every label, within cluster=, and to none when none does', async () => {
    const clustersAsked = async (query: Record<string, unknown>) => {
      const gpus = new FakeDataset(ExportDatasetName.GPUS, 1);
      await service([gpus]).prepare({ dataset: 'gpus', ...query }, {}, new AbortController().signal);
      return gpus.contexts[0]!.request.clusters;
    };
    expect(await clustersAsked({ clusterLabel: 'platform=dgx' })).toEqual(['east', 'west']);
    expect(await clustersAsked({ clusterLabel: ['platform=dgx', 'datacenter=dc2'] })).toEqual(['west']);
    expect(await clustersAsked({ clusterLabel: 'platform=dgx', cluster: 'east' })).toEqual(['east']);
    // No cluster carries it: an empty list, which selects nothing (never "all clusters").
    expect(await clustersAsked({ clusterLabel: 'datacenter=dc9' })).toEqual([]);
    expect(await clustersAsked({})).toBeUndefined();
    const bad = await errorOf(() =>
      service([new FakeDataset(ExportDatasetName.GPUS, 1)]).prepare(
        { dataset: 'gpus', clusterLabel: 'not a label' },
        {},
        new AbortController().signal,
      ),
    );
    expect(bad.message).toMatch(/clusterLabel must be name=value/);
  });

  it('answers an upstream failure of the first batch before any byte (a JSON error, not a file)', async () => {
    const gpus = new FakeDataset(ExportDatasetName.GPUS, 3, { failAt: 0 });
    const error = await errorOf(() =>
      service([gpus]).prepare({ dataset: 'gpus', format: 'csv' }, {}, new AbortController().signal),
    );
    expect(error.code).toBe('CLUSTER_UNAVAILABLE');
  });

  it('aborts the transfer on a failure after the first byte: the file is never completed', async () => {
    const gpus = new FakeDataset(ExportDatasetName.GPUS, 3, { failAt: 2 });
    const prepared = await service([gpus]).prepare(
      { dataset: 'gpus', format: 'json' },
      {},
      new AbortController().signal,
    );
    await expect(download(prepared)).rejects.toThrow(/west/);
  });

  it.each([
    ['csv', 101, 'step'],
    ['pdf', 11, 'format'],
  ])('rejects a %s export estimated at %d rows naming %s', async (format, estimate, argument) => {
    const gpus = new FakeDataset(ExportDatasetName.GPUS, 1, { estimate });
    const error = await errorOf(() =>
      service([gpus]).prepare({ dataset: 'gpus', format }, {}, new AbortController().signal),
    );
    expect(error.details.argument).toBe(argument);
    expect(gpus.pulled).toBe(0);
  });

  it('enforces the row cap exactly while streaming, whatever the estimate said', async () => {
    const gpus = new FakeDataset(ExportDatasetName.GPUS, 60, { estimate: 10 });
    const prepared = await service([gpus]).prepare(
      { dataset: 'gpus', format: 'ndjson' },
      {},
      new AbortController().signal,
    );
    await expect(download(prepared)).rejects.toThrow(/more than the limit of 100/);
    expect(gpus.pulled).toBe(51);
    expect(gpus.closed).toBe(true);
  });

  it('stops pulling rows once the client goes away', async () => {
    const gpus = new FakeDataset(ExportDatasetName.GPUS, 40);
    const abort = new AbortController();
    const prepared = await service([gpus]).prepare({ dataset: 'gpus', format: 'csv' }, {}, abort.signal);
    const sink = new PassThrough({ highWaterMark: 16 });
    sink.once('data', () => abort.abort(new Error('client closed the connection')));
    await expect(prepared.writeTo(sink, abort.signal)).rejects.toThrow('client closed the connection');
    expect(gpus.pulled).toBeLessThan(5);
    expect(gpus.closed).toBe(true);
  });

  it('offers the report only as a document format', async () => {
    const report = new FakeDataset(ExportDatasetName.REPORT, 1);
    const error = await errorOf(() =>
      service([report]).prepare({ dataset: 'report', format: 'csv' }, {}, new AbortController().signal),
    );
    expect(error.details.argument).toBe('format');
    expect(report.contexts).toHaveLength(0);
  });

  it('puts cluster labels into the exportUrl link as repeated clusterLabel=name=value parameters', () => {
    const path = service([]).exportUrl({
      dataset: ExportDatasetName.GPUS,
      format: ExportFormat.CSV,
      clusterLabels: [
        { name: 'datacenter', value: 'dc 1,a' },
        { name: 'platform', value: 'dgx' },
      ],
    });
    expect(new URLSearchParams(path.split('?')[1]).getAll('clusterLabel')).toEqual([
      'datacenter=dc 1,a',
      'platform=dgx',
    ]);
  });

  it('builds the download path of exportUrl with the same validation', () => {
    const s = service([]);
    expect(
      s.exportUrl({
        dataset: ExportDatasetName.POWER,
        format: ExportFormat.PARQUET,
        from: new Date('2025-01-01T00:00:00Z'),
        to: new Date('2025-01-02T00:00:00Z'),
        stepSeconds: 300,
        clusters: ['east'],
        namespaces: ['a b&c'],
      }),
    ).toBe(
      '/api/v1/export/power?format=parquet&from=2025-01-01T00%3A00%3A00.000Z&to=2025-01-02T00%3A00%3A00.000Z&step=300&cluster=east&namespace=a+b%26c',
    );
    const reversed = { from: new Date('2025-01-02T00:00:00Z'), to: new Date('2025-01-01T00:00:00Z') };
    expect(() =>
      s.exportUrl({ dataset: ExportDatasetName.POWER, format: ExportFormat.CSV, ...reversed }),
    ).toThrow('from must not be after to');
  });
});
