import type { Writable } from 'node:stream';
import { AsyncByteQueue, RecordBatchStreamWriter } from 'apache-arrow';
import { arrowSchema, toRecordBatch } from './arrow-batch';
import { drained, endSink, type ExportWriter, type RowBatches, type WriteTarget } from './export-writer';

/**
 * apache-arrow's writer buffers its output in an AsyncByteQueue until someone reads it, whatever the reader's pace.
 * This queue forwards every message straight to the sink instead, so the writer below can wait for `drain` after
 * each record batch and hold one batch at a time.
 */
class ForwardingQueue extends AsyncByteQueue {
  constructor(private readonly sink: Writable) {
    super();
  }

  // The writer hands over Uint8Array views of its message buffers (it converts before writing).
  override write(value: Parameters<AsyncByteQueue['write']>[0]): void {
    if (ArrayBuffer.isView(value) && value.byteLength > 0)
      this.sink.write(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  }

  // The sink is ended by the export writer once the end-of-stream marker is out.
  override close(): void {}
}

/** Arrow IPC stream format (schema, one record batch per row batch, end-of-stream marker). */
export class ArrowStreamWriter implements ExportWriter {
  async write(rows: RowBatches, { columns, sink, signal }: WriteTarget): Promise<void> {
    const schema = arrowSchema(columns);
    const writer = new RecordBatchStreamWriter();
    writer.reset(new ForwardingQueue(sink), schema);
    for await (const batch of rows) {
      if (batch.length === 0) continue;
      writer.write(toRecordBatch(schema, columns, batch));
      await drained(sink, signal);
    }
    // finish() writes the end-of-stream marker (and the schema, for an export without rows).
    writer.finish();
    await endSink(sink);
  }
}
