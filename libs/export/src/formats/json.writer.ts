import type { Writable } from 'node:stream';
import type { Cell, Column, ExportDocument, Row } from '../table';
import {
  type DocumentWriter,
  endSink,
  type ExportWriter,
  type RowBatches,
  writeChunk,
  writeLines,
  type WriteTarget,
} from './export-writer';

/** JSON value of a cell: ISO-8601 for times, null for missing and non-finite numbers (JSON has no NaN). */
export function jsonCell(cell: Cell): string | number | null {
  if (cell instanceof Date) return cell.toISOString();
  if (typeof cell === 'number' && !Number.isFinite(cell)) return null;
  return cell;
}

export function rowObject(columns: readonly Column[], row: Row): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  columns.forEach((c, i) => (out[c.name] = jsonCell(row[i] ?? null)));
  return out;
}

/** A single JSON array of row objects, streamed element by element (the array is never built in memory). */
export class JsonArrayWriter implements ExportWriter, DocumentWriter {
  async write(rows: RowBatches, { columns, sink, signal }: WriteTarget): Promise<void> {
    await writeChunk(sink, '[', signal);
    const count = await writeLines(
      rows,
      (row, n) => `${n === 0 ? '\n' : ',\n'}${JSON.stringify(rowObject(columns, row))}`,
      sink,
      signal,
    );
    await endSink(sink, count === 0 ? ']' : '\n]\n');
  }

  /** The report as one object: `{title, subtitle, sections: {<name>: {title, note?, rows: [...]}}}`. */
  async writeDocument(document: ExportDocument, sink: Writable, signal: AbortSignal): Promise<void> {
    const sections = Object.fromEntries(
      document.sections.map((s) => [
        s.name,
        {
          title: s.title,
          ...(s.note ? { note: s.note } : {}),
          rows: s.rows.map((r) => rowObject(s.columns, r)),
        },
      ]),
    );
    await writeChunk(
      sink,
      JSON.stringify({ title: document.title, subtitle: document.subtitle, sections }, null, 2),
      signal,
    );
    await endSink(sink, '\n');
  }
}

/** Newline-delimited JSON: one row object per line, so consumers can stream it too. */
export class NdjsonWriter implements ExportWriter {
  async write(rows: RowBatches, { columns, sink, signal }: WriteTarget): Promise<void> {
    await writeLines(rows, (row) => `${JSON.stringify(rowObject(columns, row))}\n`, sink, signal);
    await endSink(sink);
  }
}
