import type { Cell } from '../table';
import {
  endSink,
  type ExportWriter,
  type RowBatches,
  writeChunk,
  writeLines,
  type WriteTarget,
} from './export-writer';

export type LineEnding = 'lf' | 'crlf';

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled. Empty for null and NaN. */
export function csvField(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString();
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  return NEEDS_QUOTES.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

export function csvLine(cells: readonly Cell[], eol: string): string {
  return cells.map(csvField).join(',') + eol;
}

/** CSV with a header row of column names (units in the names); LF by default, CRLF as RFC 4180 prescribes on request. */
export class CsvWriter implements ExportWriter {
  constructor(private readonly lineEnding: LineEnding = 'lf') {}

  async write(rows: RowBatches, { columns, sink, signal }: WriteTarget): Promise<void> {
    const eol = this.lineEnding === 'crlf' ? '\r\n' : '\n';
    await writeChunk(
      sink,
      csvLine(
        columns.map((c) => c.name),
        eol,
      ),
      signal,
    );
    await writeLines(rows, (row) => csvLine(row, eol), sink, signal);
    await endSink(sink);
  }
}
