import { once } from 'node:events';
import type { Writable } from 'node:stream';
import * as ExcelJS from 'exceljs';
import { numberFormat, reportSheets, sheetColumns } from '../report/report-xlsx';
import { isReportDocument } from '../report/report-view';
import type { Cell, Column, ExportDocument } from '../table';
import {
  type DocumentWriter,
  drained,
  type ExportWriter,
  type RowBatches,
  type WriteTarget,
} from './export-writer';

const WIDTH: Readonly<Record<Column['type'], number>> = { string: 20, int: 10, float: 14, timestamp: 22 };
const TIMESTAMP_FORMAT = 'yyyy-mm-dd hh:mm:ss';

/** Excel sheet names: at most 31 characters, none of []:*?/\ . */
export function sheetName(title: string): string {
  return (
    title
      .replace(/[[\]:*?/\\]/g, ' ')
      .slice(0, 31)
      .trim() || 'Sheet'
  );
}

/**
 * exceljs' sheet stream (a StreamBuf) writes into archiver's entry stream without honouring its backpressure
 * (exceljs/exceljs#1894, #2916): the XML piles up there while zlib catches up, ~900 MB for a million rows. Waiting
 * for that stream to drain after each batch restores the backpressure. It is reached through exceljs internals
 * (archiver's readable-stream v2 PassThrough has no `writableNeedDrain`); if they change, nothing is awaited here and
 * only the sink's drain applies.
 */
type LegacyWritable = Writable & { readonly _writableState?: { readonly needDrain?: boolean } };

async function sheetDrained(sheet: ExcelJS.Worksheet, signal: AbortSignal): Promise<void> {
  const pipes = (sheet as unknown as { stream?: { pipes?: unknown } }).stream?.pipes;
  if (!Array.isArray(pipes)) return;
  for (const pipe of pipes as LegacyWritable[])
    if (pipe.writableNeedDrain ?? pipe._writableState?.needDrain) await once(pipe, 'drain', { signal });
}

function xlsxValue(cell: Cell): string | number | Date | null {
  return typeof cell === 'number' && !Number.isFinite(cell) ? null : cell;
}

/**
 * xlsx through exceljs' streaming WorkbookWriter: every row is committed (serialised into the zip entry) as soon as
 * it is added, and the writer waits for the sink to drain after each batch. Shared strings are off, so no string
 * table grows with the export.
 */
export class XlsxWriter implements ExportWriter, DocumentWriter {
  async write(rows: RowBatches, { columns, sink, signal, meta }: WriteTarget): Promise<void> {
    const workbook = this.open(sink, meta.title);
    const sheet = this.addSheet(workbook, meta.title, columns);
    for await (const batch of rows) {
      for (const row of batch) sheet.addRow(row.map(xlsxValue)).commit();
      await sheetDrained(sheet, signal);
      await drained(sink, signal);
    }
    sheet.commit();
    await workbook.commit();
  }

  /** One sheet per section (Summary, Score distribution, …); a section's note goes under its table. */
  async writeDocument(document: ExportDocument, sink: Writable, signal: AbortSignal): Promise<void> {
    const workbook = this.open(sink, document.title);
    if (isReportDocument(document)) {
      await this.writeReportSheets(workbook, reportSheets(document.view), sink, signal);
      await workbook.commit();
      return;
    }
    for (const section of document.sections) {
      signal.throwIfAborted();
      const sheet = this.addSheet(workbook, section.title, section.columns);
      for (const row of section.rows) sheet.addRow(row.map(xlsxValue)).commit();
      if (section.note) {
        sheet.addRow([]).commit();
        sheet.addRow([section.note]).commit();
      }
      sheet.commit();
      await drained(sink, signal);
    }
    await workbook.commit();
  }

  /**
   * The report for people: titled columns with units, widths from the content, number formats with thousands
   * separators, frozen headers; "auto" columns (the summary's mixed figures) get a format per cell.
   */
  private async writeReportSheets(
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    tables: ReturnType<typeof reportSheets>,
    sink: Writable,
    signal: AbortSignal,
  ): Promise<void> {
    for (const table of tables) {
      signal.throwIfAborted();
      const sheet = workbook.addWorksheet(sheetName(table.title), {
        views: [{ state: 'frozen', ySplit: 1 }],
      });
      sheet.columns = sheetColumns(table);
      sheet.getRow(1).font = { bold: true };
      for (const values of table.rows) {
        const row = sheet.addRow(values.map(xlsxValue));
        table.columns.forEach((c, i) => {
          const v = values[i];
          if (c.kind === 'auto' && typeof v === 'number') row.getCell(i + 1).numFmt = numberFormat(c, v)!;
        });
        row.commit();
      }
      if (table.note) {
        sheet.addRow([]).commit();
        sheet.addRow([table.note]).commit();
      }
      sheet.commit();
      await drained(sink, signal);
    }
  }

  private open(sink: Writable, title: string): ExcelJS.stream.xlsx.WorkbookWriter {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: sink,
      useStyles: true,
      useSharedStrings: false,
    });
    workbook.creator = 'kcloud-monitor';
    workbook.title = title;
    workbook.created = new Date();
    return workbook;
  }

  private addSheet(
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    title: string,
    columns: readonly Column[],
  ): ExcelJS.Worksheet {
    const sheet = workbook.addWorksheet(sheetName(title), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = columns.map((c) => ({
      header: c.name,
      key: c.name,
      width: WIDTH[c.type],
      ...(c.type === 'timestamp' ? { style: { numFmt: TIMESTAMP_FORMAT } } : {}),
    }));
    sheet.getRow(1).font = { bold: true };
    return sheet;
  }
}
