import { dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { DomainError, ErrorCode } from '@kcloud/common';
import { reportPdfContent } from '../report/report-pdf';
import { isReportDocument } from '../report/report-view';
import type { Cell, Column, ExportDocument, ExportSection, Row } from '../table';
import type { DocumentWriter, ExportWriter, RowBatches, WriteTarget } from './export-writer';
// pdfmake's module is a class instance whose methods use `this`; `import * as` would copy no methods.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import pdfmake = require('pdfmake');

// Roboto ships inside the pdfmake package: Unicode text (Latin, Greek, Cyrillic) with no network and no files of ours.
const FONT_DIR = join(dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
pdfmake.setFonts({
  Roboto: {
    normal: join(FONT_DIR, 'Roboto-Regular.ttf'),
    bold: join(FONT_DIR, 'Roboto-Medium.ttf'),
    italics: join(FONT_DIR, 'Roboto-Italic.ttf'),
    bolditalics: join(FONT_DIR, 'Roboto-MediumItalic.ttf'),
  },
});
// A report is built from our own data only: no URL is ever fetched, no file outside the font directory read.
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((path) => resolve(path).startsWith(FONT_DIR + sep));

/** How a cell reads in the PDF: times to the second in UTC, numbers to at most 3 decimals, missing as "–". */
export function pdfCellText(cell: Cell): string {
  if (cell === null) return '–';
  if (cell instanceof Date) return `${cell.toISOString().slice(0, 19).replace('T', ' ')}Z`;
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(Math.round(cell * 1000) / 1000) : '–';
  return cell;
}

// A zero-width space after each underscore lets long snake_case headers wrap (pdftotext does not extract it).
const breakable = (name: string): string => name.replace(/_/g, '_\u200b');

function table(columns: readonly Column[], rows: readonly Row[]): Content {
  const header: TableCell[] = columns.map((c) => ({ text: breakable(c.name), bold: true }));
  const body: TableCell[][] = [
    header,
    ...rows.map((r) =>
      r.map(
        (cell, i): TableCell => ({
          text: pdfCellText(cell),
          alignment: columns[i]?.type === 'string' ? 'left' : 'right',
        }),
      ),
    ),
  ];
  // 'auto' sizes each column by its content and shrinks towards the content's minimum when the page is too narrow.
  return {
    table: { headerRows: 1, body, widths: columns.map(() => 'auto') },
    layout: 'lightHorizontalLines',
  };
}

function sectionContent(section: ExportSection): Content[] {
  const parts: Content[] = [{ text: section.title, style: 'section' }];
  if (section.rows.length) parts.push(table(section.columns, section.rows));
  if (section.note) parts.push({ text: section.note, italics: true, margin: [0, 4, 0, 0] });
  return parts;
}

function documentDefinition(
  title: string,
  subtitle: string,
  content: Content[],
  columns: number,
): TDocumentDefinitions {
  return {
    info: { title, creator: 'kcloud-monitor', producer: 'kcloud-monitor' },
    pageSize: columns > 12 ? 'A3' : 'A4',
    pageOrientation: columns > 6 ? 'landscape' : 'portrait',
    pageMargins: [28, 36, 28, 40],
    defaultStyle: { font: 'Roboto', fontSize: columns > 12 ? 6 : 8 },
    styles: {
      title: { fontSize: 16, bold: true },
      subtitle: { fontSize: 9, color: '#555555', margin: [0, 2, 0, 10] },
      section: { fontSize: 12, bold: true, margin: [0, 12, 0, 4] },
    },
    footer: (current: number, total: number) => ({
      text: `${title} · page ${current} of ${total}`,
      alignment: 'right',
      fontSize: 7,
      margin: [0, 12, 28, 0],
    }),
    content: [{ text: title, style: 'title' }, { text: subtitle, style: 'subtitle' }, ...content],
  };
}

/**
 * PDF through pdfmake 0.3 (server API). pdfmake lays out the whole document in memory before the first byte, so a
 * PDF table is capped (`maxRows`, EXPORT_PDF_MAX_ROWS); the report is small by construction. The cap is checked
 * before anything is written, so an oversized PDF is a 400, never a truncated file.
 */
export class PdfWriter implements ExportWriter, DocumentWriter {
  constructor(private readonly maxRows: number) {}

  async write(rows: RowBatches, { columns, sink, signal, meta }: WriteTarget): Promise<void> {
    const all: Row[] = [];
    for await (const batch of rows) {
      signal.throwIfAborted();
      if (all.length + batch.length > this.maxRows)
        throw new DomainError(
          ErrorCode.BAD_USER_INPUT,
          `a PDF holds at most ${this.maxRows} rows; narrow the range, raise step or choose csv/parquet`,
          { argument: 'format' },
        );
      all.push(...batch);
    }
    await this.render(
      documentDefinition(meta.title, meta.subtitle, [table(columns, all)], columns.length),
      sink,
      signal,
    );
  }

  async writeDocument(document: ExportDocument, sink: Writable, signal: AbortSignal): Promise<void> {
    if (isReportDocument(document)) {
      // Portrait whatever the widest table: the first page is read, the tables are for looking things up.
      const content = reportPdfContent(document.view);
      await this.render(documentDefinition(document.title, document.view.subtitle, content, 6), sink, signal);
      return;
    }
    const widest = Math.max(0, ...document.sections.map((s) => s.columns.length));
    const content = document.sections.flatMap(sectionContent);
    await this.render(documentDefinition(document.title, document.subtitle, content, widest), sink, signal);
  }

  private async render(definition: TDocumentDefinitions, sink: Writable, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const doc = await pdfmake.createPdf(definition).getStream();
    // PDFKit emits the document once ended; pipeline ends the sink and tears both down on abort.
    const done = pipeline(doc, sink, { signal });
    doc.end();
    await done;
  }
}
