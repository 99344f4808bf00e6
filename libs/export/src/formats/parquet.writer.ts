import { Table, tableToIPC } from 'apache-arrow';
import * as parquet from 'parquet-wasm';
import type { Row } from '../table';
import { arrowSchema, toRecordBatch } from './arrow-batch';
import { endSink, type ExportWriter, type RowBatches, writeChunk, type WriteTarget } from './export-writer';

/** Rows per Parquet row group: the writer holds one row group's encoded pages (a few MB) until it closes. */
export const PARQUET_ROW_GROUP_ROWS = 100_000;

/**
 * Parquet through parquet-wasm's streaming writer (`transformParquetStream`, the Rust AsyncArrowWriter): record
 * batches go in as they are read, and the file's bytes come out row group by row group. Memory is bounded by one
 * row group plus one batch, never by the export (a row group is the unit Parquet must finish before writing it).
 */
export class ParquetWriter implements ExportWriter {
  constructor(private readonly rowGroupRows = PARQUET_ROW_GROUP_ROWS) {}

  async write(rows: RowBatches, { columns, sink, signal }: WriteTarget): Promise<void> {
    const schema = arrowSchema(columns);
    const source = rows[Symbol.asyncIterator]();
    let sent = 0;
    // Errors of the row source are kept here too: the wasm side may report them as a generic stream failure.
    let sourceError: unknown;
    const toWasm = (batch: readonly Row[]): parquet.RecordBatch[] => {
      const table = parquet.Table.fromIPCStream(
        tableToIPC(new Table([toRecordBatch(schema, columns, batch)]), 'stream'),
      );
      try {
        return table.recordBatches();
      } finally {
        table.free();
      }
    };
    const input = new ReadableStream<parquet.RecordBatch>(
      {
        async pull(controller) {
          try {
            for (;;) {
              signal.throwIfAborted();
              const next = await source.next();
              if (next.done) {
                // An export without rows is still a valid file: one empty batch carries the schema.
                if (sent === 0) for (const b of toWasm([])) controller.enqueue(b);
                controller.close();
                return;
              }
              if (next.value.length === 0) continue;
              for (const b of toWasm(next.value)) controller.enqueue(b);
              sent += next.value.length;
              return;
            }
          } catch (e) {
            sourceError = e;
            controller.error(e);
          }
        },
        async cancel(reason) {
          await source.return?.(reason);
        },
      },
      { highWaterMark: 0 },
    );
    const properties = new parquet.WriterPropertiesBuilder()
      .setCompression(parquet.Compression.SNAPPY)
      .setMaxRowGroupSize(this.rowGroupRows)
      .setCreatedBy('kcloud-monitor')
      .build();
    const output = (await parquet.transformParquetStream(input, properties)) as ReadableStream<Uint8Array>;
    const reader = output.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        await writeChunk(sink, value, signal);
      }
    } catch (e) {
      await reader.cancel(e).catch(() => undefined);
      throw sourceError ?? e;
    }
    if (sourceError) throw sourceError;
    await endSink(sink);
  }
}
