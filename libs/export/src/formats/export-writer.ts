import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { Column, ExportDocument, ExportMeta, Row } from '../table';

/**
 * One writer per format. `write` consumes rows batch by batch, writes the complete file to `sink` and ends it;
 * it waits for the sink to drain between batches, so memory follows the batch, not the export. An aborted
 * `signal` stops it between batches with the signal's reason.
 */
export interface ExportWriter {
  write(rows: RowBatches, target: WriteTarget): Promise<void>;
}

/** Rows batch by batch, as a dataset streams them. */
export type RowBatches = AsyncIterable<readonly Row[]>;

/** One file's columns, the sink it is written to (and ended), the signal that stops it, and its title block. */
export interface WriteTarget {
  readonly columns: readonly Column[];
  readonly sink: Writable;
  readonly signal: AbortSignal;
  readonly meta: ExportMeta;
}

/** Formats that can hold a multi-table summary (the report). */
export interface DocumentWriter {
  writeDocument(document: ExportDocument, sink: Writable, signal: AbortSignal): Promise<void>;
}

/**
 * Text is handed to the sink in pieces of about this many characters: V8 allocates strings above ~128 KiB straight
 * into the old generation, where a stream of them waits for a full collection; small pieces die young instead.
 */
export const TEXT_CHUNK_CHARS = 32 * 1024;

/** Writes one chunk, then waits for `drain` when the sink's buffer is full (or rejects when the signal aborts). */
export async function writeChunk(
  sink: Writable,
  chunk: string | Uint8Array,
  signal: AbortSignal,
): Promise<void> {
  signal.throwIfAborted();
  if (!sink.write(chunk)) await once(sink, 'drain', { signal });
}

/** Waits for the sink to drain without writing (for writers that push into the sink on their own, like exceljs). */
export async function drained(sink: Writable, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  if (sink.writableNeedDrain) await once(sink, 'drain', { signal });
}

/**
 * Writes `line(row, n)` (n counts rows from 0) for every row of every batch, in pieces of at most about
 * TEXT_CHUNK_CHARS and at least once per batch, waiting for the sink between pieces. Returns the number of rows.
 */
export async function writeLines(
  rows: RowBatches,
  line: (row: Row, n: number) => string,
  sink: Writable,
  signal: AbortSignal,
): Promise<number> {
  let n = 0;
  for await (const batch of rows) {
    let text = '';
    for (const row of batch) {
      text += line(row, n++);
      if (text.length >= TEXT_CHUNK_CHARS) {
        await writeChunk(sink, text, signal);
        text = '';
      }
    }
    if (text) await writeChunk(sink, text, signal);
  }
  return n;
}

export async function endSink(sink: Writable, chunk?: string | Uint8Array): Promise<void> {
  if (chunk !== undefined) sink.end(chunk);
  else sink.end();
  await finished(sink, { readable: false });
}
