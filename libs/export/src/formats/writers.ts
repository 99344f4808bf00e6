import { ArrowStreamWriter } from './arrow.writer';
import { CsvWriter, type LineEnding } from './csv.writer';
import { ExportFormat } from './export-format';
import type { DocumentWriter, ExportWriter } from './export-writer';
import { JsonArrayWriter, NdjsonWriter } from './json.writer';
import { ParquetWriter } from './parquet.writer';
import { PdfWriter } from './pdf.writer';
import { XlsxWriter } from './xlsx.writer';

export interface WriterOptions {
  readonly lineEnding: LineEnding;
  readonly pdfMaxRows: number;
}

/** A writer per download format, as data (a new format is one row; the Record keeps the list complete). */
const TABLE_WRITERS: Readonly<Record<ExportFormat, (options: WriterOptions) => ExportWriter>> = {
  [ExportFormat.JSON]: () => new JsonArrayWriter(),
  [ExportFormat.NDJSON]: () => new NdjsonWriter(),
  [ExportFormat.CSV]: (options) => new CsvWriter(options.lineEnding),
  [ExportFormat.PARQUET]: () => new ParquetWriter(),
  [ExportFormat.ARROW]: () => new ArrowStreamWriter(),
  [ExportFormat.XLSX]: () => new XlsxWriter(),
  [ExportFormat.PDF]: (options) => new PdfWriter(options.pdfMaxRows),
};

export function tableWriter(format: ExportFormat, options: WriterOptions): ExportWriter {
  return TABLE_WRITERS[format](options);
}

/** The writers that can hold a multi-table document; the report is offered in these formats only. */
const DOCUMENT_WRITERS: Partial<Record<ExportFormat, (options: WriterOptions) => DocumentWriter>> = {
  [ExportFormat.JSON]: () => new JsonArrayWriter(),
  [ExportFormat.XLSX]: () => new XlsxWriter(),
  [ExportFormat.PDF]: (options) => new PdfWriter(options.pdfMaxRows),
};

export const DOCUMENT_FORMATS = Object.keys(DOCUMENT_WRITERS) as readonly ExportFormat[];

export function documentWriter(format: ExportFormat, options: WriterOptions): DocumentWriter | undefined {
  return DOCUMENT_WRITERS[format]?.(options);
}
