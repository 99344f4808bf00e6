// Issue 5: export throughput and memory. 100,000 and 1,000,000 rows of GPU metrics written as CSV, Parquet and
// xlsx; rows/s and peak RSS per case, each case in its own child process running compiled code (bench/export-case.ts,
// built into dist-bench/ first) so its peak RSS is its own. Every case runs twice: with V8's default heap sizing, and
// with the old generation capped at 64 MiB (what a container's NODE_OPTIONS would set). A case that completes under
// the cap, at any row count, holds a constant amount of memory. Then the same CSV through HTTP from the compiled API
// serving a simulated 10,000-GPU fleet (bench/export-api.ts), where source reads, rows and writer share one process.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GPU_SERIES_COLUMNS } from '../libs/export/src/datasets/gpu-rows'; // eslint-disable-line no-restricted-imports
import { apiCsvExport } from './export-api';
import { BATCH_ROWS, type Format, GPUS } from './export-case';
import { record } from './lib';

const FORMATS: readonly Format[] = ['csv', 'parquet', 'xlsx'];
const HEAP_MODES = [
  { heap: 'default', flags: [] },
  { heap: 'old-space-64MiB', flags: ['--max-old-space-size=64'] },
] as const;
const ROW_COUNTS = [100_000, 1_000_000] as const;
// CSV once more at 10M rows (≈ 1.8 GiB of output, ~15 s): shows its peak RSS has stopped growing, not just that it is
// under the target at 1M.
const EXTRA_CASES = [{ heap: 'default', flags: [], format: 'csv', rows: 10_000_000 }] as const;
const ROOT = join(__dirname, '..');
const API_ROW_COUNTS = [100_000, 1_000_000, 3_000_000] as const;
const API_HEAP_MODES = [
  { heap: 'default', flags: [] },
  { heap: 'old-space-160MiB', flags: ['--max-old-space-size=160'] },
] as const;

const run = promisify(execFile);

async function main(): Promise<void> {
  // Compiled like the API (tsc + tsc-alias), into its own directory so `npm run build` output is left alone.
  await run('npx', ['tsc', '-p', 'tsconfig.bench.json'], { cwd: ROOT });
  await run('npx', ['tsc-alias', '-p', 'tsconfig.bench.json'], { cwd: ROOT });
  const caseScript = join(ROOT, 'dist-bench/bench/export-case.js');
  const plan = [
    ...HEAP_MODES.flatMap(({ heap, flags }) =>
      FORMATS.flatMap((format) => ROW_COUNTS.map((rows) => ({ heap, flags, format, rows }))),
    ),
    ...EXTRA_CASES,
  ];
  const cases: unknown[] = [];
  for (const { heap, flags, format, rows } of plan) {
    const { stdout } = await run(
      process.execPath,
      [...flags, '--expose-gc', caseScript, format, String(rows)],
      {
        maxBuffer: 1024 * 1024,
        timeout: 30 * 60_000,
      },
    );
    const result = { heap, ...(JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>) };
    process.stderr.write(`${JSON.stringify(result)}\n`);
    cases.push(result);
  }
  await run('npm', ['run', 'build'], { cwd: ROOT });
  const api: unknown[] = [];
  for (const { heap, flags } of API_HEAP_MODES)
    for (const rows of API_ROW_COUNTS) {
      const result = { heap, ...(await apiCsvExport(rows, flags)) };
      process.stderr.write(`api ${JSON.stringify(result)}\n`);
      api.push(result);
    }
  record('export', {
    gpus: GPUS,
    batchRows: BATCH_ROWS,
    columns: GPU_SERIES_COLUMNS.length,
    sink: 'in-process counting writable',
    runtime: 'compiled JavaScript (dist-bench), no ts-node',
    cases,
    apiCsvDownloads: api,
  });
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${String(e instanceof Error ? e.stack : e)}\n`);
    process.exit(1);
  },
);
