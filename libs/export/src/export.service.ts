import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Writable } from 'node:stream';
import { AppConfig, badInput, Clock, type TenantScope } from '@kcloud/common';
import { ClusterLabelResolution } from '@kcloud/metrics-source';
import { EXPORT_DATASETS_TOKEN, type ExportDataset, type ExportLimits } from './datasets/dataset';
import { ExportDatasetName } from './datasets/export-dataset.enum';
import { exportPath, exportQuery, type ExportLinkInput } from './export-url';
import { ExportFormat, FORMAT_INFO } from './formats/export-format';
import { DOCUMENT_FORMATS, documentWriter, tableWriter, type WriterOptions } from './formats/writers';
import { exportFileName, parseExportQuery, type ExportRequest } from './request/export-request';
import type { Row } from './table';

/** A download that passed every check and has its first data in hand: writing it can only fail upstream. */
export interface PreparedExport {
  readonly fileName: string;
  readonly contentType: string;
  /** Writes the complete file to `sink` and ends it. */
  writeTo(sink: Writable, signal: AbortSignal): Promise<void>;
  /** Releases what `prepare` opened without writing the file (a HEAD request). */
  discard(): Promise<void>;
}

/**
 * Orchestrates a download: validate the request, plan the dataset (row estimate against the cap), read the first
 * batch (or the whole report) before any header is sent, then stream through the format's writer. Everything that
 * can be a 4xx/5xx JSON answer happens before the first byte; after it, a failure aborts the transfer so no
 * truncated file ever looks whole.
 */
@Injectable()
export class ExportService {
  private readonly logger = new Logger(ExportService.name);
  private readonly datasets: ReadonlyMap<ExportDatasetName, ExportDataset>;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    @Inject(EXPORT_DATASETS_TOKEN) datasets: readonly ExportDataset[],
    private readonly labels: ClusterLabelResolution,
  ) {
    this.datasets = new Map(datasets.map((d) => [d.name, d]));
  }

  async prepare(
    raw: Readonly<Record<string, unknown>>,
    scope: TenantScope,
    signal: AbortSignal,
  ): Promise<PreparedExport> {
    const request = withLabelledClusters(parseExportQuery(raw, this.clock.now()), this.labels);
    const dataset = this.datasets.get(request.dataset)!;
    const { maxRows, pdfMaxRows, batchRows } = this.config.export;
    const options: WriterOptions = { lineEnding: request.lineEnding, pdfMaxRows };
    const limits: ExportLimits = { maxRows, batchRows };
    const fileName = exportFileName(request);
    const contentType = FORMAT_INFO[request.format].contentType;

    if (request.dataset === ExportDatasetName.REPORT) {
      const writer = documentWriter(request.format, options);
      if (!writer)
        throw badInput(
          'format',
          `the report is a document: format must be one of ${DOCUMENT_FORMATS.join(', ')}`,
        );
      const plan = await dataset.plan({ request, scope, limits });
      if (plan.kind !== 'document') throw new Error('the report dataset must plan a document');
      const document = await plan.build(signal);
      return {
        fileName,
        contentType,
        writeTo: (sink, s) => writer.writeDocument(document, sink, s),
        discard: async () => undefined,
      };
    }

    const plan = await dataset.plan({ request, scope, limits });
    if (plan.kind !== 'table') throw new Error(`dataset ${request.dataset} must plan a table`);
    const cap = request.format === ExportFormat.PDF ? Math.min(pdfMaxRows, maxRows) : maxRows;
    if (plan.estimatedRows > cap) throw tooManyRows(request, plan.estimatedRows, cap);
    const started = Date.now();
    const counted = this.counted(plan.rows(signal), cap, request, started);
    const iterator = counted[Symbol.asyncIterator]();
    // Upstream errors of the first batch still become a JSON error: no header has been sent yet.
    const first = await iterator.next();
    const writer = tableWriter(request.format, options);
    const meta = {
      title: plan.title,
      subtitle: `${request.from.toISOString()} – ${request.to.toISOString()}${plan.stepSeconds ? ` · step ${plan.stepSeconds} s` : ''}`,
    };
    return {
      fileName,
      contentType,
      writeTo: (sink, signal) =>
        writer.write(resume(first, iterator), { columns: plan.columns, sink, signal, meta }),
      discard: async () => {
        await iterator.return?.(undefined);
      },
    };
  }

  /** The download path for the same parameters, validated by the same rules (GraphQL `exportUrl`). */
  exportUrl(link: ExportLinkInput): string {
    parseExportQuery({ ...exportQuery(link), dataset: link.dataset }, this.clock.now());
    return exportPath(link);
  }

  /** Counts rows as they pass, enforces the cap exactly (estimates use today's GPU count) and logs the outcome. */
  private async *counted(
    rows: AsyncIterable<readonly Row[]>,
    cap: number,
    request: ExportRequest,
    started: number,
  ): AsyncGenerator<readonly Row[]> {
    let count = 0;
    let completed = false;
    try {
      for await (const batch of rows) {
        count += batch.length;
        if (count > cap) throw tooManyRows(request, count, cap);
        yield batch;
      }
      completed = true;
    } finally {
      const what = `export ${request.dataset}.${request.format}: ${count} rows in ${Date.now() - started} ms`;
      if (completed) this.logger.log(what);
      else this.logger.warn(`${what}, stopped before the end`);
    }
  }
}

function tooManyRows(request: ExportRequest, rows: number, cap: number) {
  return badInput(
    request.format === ExportFormat.PDF ? 'format' : 'step',
    `the export would have ${rows} rows, more than the limit of ${cap}${request.format === ExportFormat.PDF ? ' for PDF; choose csv, xlsx or parquet' : ''}; narrow it with from/to, step, cluster or namespace`,
  );
}

/** The rows again, starting with the batch already read; closing it closes the source (which stops querying). */
async function* resume(
  first: IteratorResult<readonly Row[]>,
  rest: AsyncIterator<readonly Row[]>,
): AsyncGenerator<readonly Row[]> {
  try {
    if (first.done) return;
    yield first.value;
    for (;;) {
      const next = await rest.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await rest.return?.();
  }
}

/**
 * clusterLabel= resolved to cluster names before any read: the clusters carrying every label, within `cluster=` when
 * both are given. An empty list selects nothing (scopedFilter's rule), never every cluster.
 */
function withLabelledClusters(request: ExportRequest, labels: ClusterLabelResolution): ExportRequest {
  const { labelledClusters } = labels.resolve(request);
  if (!labelledClusters) return request;
  const asked = request.clusters;
  const clusters = asked ? labelledClusters.filter((c) => asked.includes(c)) : labelledClusters;
  return { ...request, clusters };
}
