// One export case of bench/export.bench.ts, run compiled (dist-bench/) in its own process so its peak RSS is the
// writer's own plus Node's, as in production where the API runs compiled code: under ts-node the TypeScript compiler
// alone held ~60 MiB of the figure. Usage: node dist-bench/bench/export-case.js <csv|parquet|xlsx> <rows>
import { Writable } from 'node:stream';
// The writers are imported one file at a time (not through @kcloud/export, whose module graph loads Nest, the
// analyzer and every format library): each case's RSS is then its own format's.
/* eslint-disable no-restricted-imports */
import type { ExportWriter } from '../libs/export/src/formats/export-writer';
import { GPU_SERIES_COLUMNS } from '../libs/export/src/datasets/gpu-rows';
import type { Row } from '../libs/export/src/table';
/* eslint-enable no-restricted-imports */

export type Format = 'csv' | 'parquet' | 'xlsx';
export const BATCH_ROWS = 5_000;
export const GPUS = 10_000;
const NODE_GPUS = 8;

async function writerFor(format: Format): Promise<ExportWriter> {
  switch (format) {
    case 'csv':
      return new (await import('../libs/export/src/formats/csv.writer')).CsvWriter('lf');
    case 'parquet':
      return new (await import('../libs/export/src/formats/parquet.writer')).ParquetWriter();
    case 'xlsx':
      return new (await import('../libs/export/src/formats/xlsx.writer')).XlsxWriter();
  }
}

/** Label values are strings shared by every point of a series (as the range join shares them): built once. */
const IDENTITY = Array.from({ length: GPUS }, (_, gpu) => ({
  cluster: gpu < GPUS / 2 ? 'bench-a' : 'bench-b',
  node: `bench-gpu-${String(Math.floor(gpu / NODE_GPUS)).padStart(4, '0')}`,
  uuid: `GPU-${gpu.toString(16).padStart(8, '0')}-4a6a-d6b0-09b1-7480dc559a8a`,
  namespace: `team-${gpu % 17}`,
  pod: `job-${gpu % 997}-0`,
}));

/**
 * Rows of the `metrics` dataset (its 23 columns, in order) for a 10,000-GPU fleet at successive minutes, generated
 * on the fly with the values dcgm-exporter reports (integers for util/FB/temperature/clocks, milliwatt power):
 * nothing is kept, so the process holds one batch whatever the row count. The source side (Prometheus decoding,
 * the join) is not part of this figure: it is measured per chunk, not per export.
 */
async function* metricRows(total: number): AsyncGenerator<readonly Row[]> {
  const start = Date.parse('2025-06-01T00:00:00Z');
  let at = new Date(start);
  for (let done = 0; done < total; done += BATCH_ROWS) {
    const batch: Row[] = [];
    for (let i = done; i < Math.min(total, done + BATCH_ROWS); i++) {
      const gpu = i % GPUS;
      const step = Math.floor(i / GPUS);
      if (gpu === 0) at = new Date(start + step * 60_000);
      const id = IDENTITY[gpu]!; // gpu < GPUS, IDENTITY's length
      const busy = (gpu * 7 + step) % 10 < 6;
      const util = busy ? 60 + ((gpu * 13 + step * 7) % 38) : (gpu + step) % 3;
      batch.push([
        at,
        id.cluster,
        id.node,
        id.uuid,
        gpu % NODE_GPUS,
        null,
        null,
        'NVIDIA H100 80GB HBM3',
        busy ? id.namespace : null,
        busy ? id.pod : null,
        busy ? 'trainer' : null,
        util,
        Math.floor(util / 2),
        busy ? 60_000 + (gpu % 20_000) : 400,
        busy ? 21_006 - (gpu % 20_000) : 80_606,
        553,
        Math.round((80 + util * 6.2 + (gpu % 10) / 7) * 1000) / 1000,
        700,
        30 + Math.floor(util / 2),
        busy ? 1755 + (gpu % 5) * 30 : 345,
        Math.round(36_886_326_265_387 + gpu * 1e9 + step * 3.1e7) / 1000,
        util,
        util / 2,
      ]);
    }
    yield batch;
  }
}

/** A client that reads as fast as it can: counts bytes, acknowledges each write on the next turn. */
class CountingSink extends Writable {
  bytes = 0;
  override _write(chunk: Buffer, _: BufferEncoding, done: (e?: Error | null) => void): void {
    this.bytes += chunk.length;
    setImmediate(done);
  }
}

async function runCase(format: Format, rows: number): Promise<void> {
  const writer = await writerFor(format);
  (global as { gc?: () => void }).gc?.();
  const rssBeforeMiB = process.memoryUsage().rss / 2 ** 20;
  const sink = new CountingSink();
  const started = process.hrtime.bigint();
  await writer.write(metricRows(rows), {
    columns: GPU_SERIES_COLUMNS,
    sink,
    signal: new AbortController().signal,
    meta: { title: 'GPU metrics', subtitle: 'bench' },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(
    `${JSON.stringify({
      format,
      rows,
      seconds: Math.round(seconds * 100) / 100,
      rowsPerSecond: Math.round(rows / seconds),
      outputMiB: Math.round((sink.bytes / 2 ** 20) * 10) / 10,
      rssBeforeMiB: Math.round(rssBeforeMiB),
      // ru_maxrss is in KiB on Linux.
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    })}\n`,
  );
}

if (require.main === module) {
  const [format, rows] = process.argv.slice(2);
  runCase(format as Format, Number(rows)).then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`${String(e instanceof Error ? e.stack : e)}\n`);
      process.exit(1);
    },
  );
}
