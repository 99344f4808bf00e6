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

export function tableWriter(format: ExportFormat, options: WriterOptions): ExportWriter {
  switch (format) {
    case ExportFormat.JSON:
      return new JsonArrayWriter();
    case ExportFormat.NDJSON:
      return new NdjsonWriter();
    case ExportFormat.CSV:
      return new CsvWriter(options.lineEnding);
    case ExportFormat.PARQUET:
      return new ParquetWriter();
    case ExportFormat.ARROW:
      return new ArrowStreamWriter();
    case ExportFormat.XLSX:
      return new XlsxWriter();
    case ExportFormat.PDF:
      return new PdfWriter(options.pdfMaxRows);
  }
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
