import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../test/harness/free-port';
import { pollUntil } from '../test/harness/poll';

const ROOT = join(__dirname, '..');
const GPUS = 10_000;

export interface ApiExportCase {
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly outputMiB: number;
  readonly idleRssMiB: number;
  readonly peakRssMiB: number;
}

function statusMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Math.round(Number(line?.replace(/\D+/g, '') ?? 0) / 1024);
}

/**
 * One CSV download of the `metrics` dataset through HTTP from the compiled API (dist/, as deployed) serving the
 * simulated 10,000-GPU fleet: `rows / 10,000` one-minute steps. Reports the API process's resident memory when idle
 * and its peak (VmHWM) after the download, which covers the source reads, the rows and the writer together.
 */
export async function apiCsvExport(rows: number, nodeFlags: readonly string[]): Promise<ApiExportCase> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeFlags, join(ROOT, 'dist/apps/api/src/main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      LOG_LEVEL: 'error',
      ANALYZER_ENABLED: 'false',
      SIM_SCENARIO: join(ROOT, 'libs/fleet-model/scenarios/bench-10k.yaml'),
      EXPORT_MAX_ROWS: String(rows),
    },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const base = `http://127.0.0.1:${port}`;
    await pollUntil(
      'the API to start',
      async () => ((await fetch(`${base}/health/live`).catch(() => undefined))?.ok ? true : undefined),
      {
        timeoutMs: 60_000,
        intervalMs: 250,
      },
    );
    const idleRssMiB = statusMiB(child.pid!, 'VmRSS');
    const from = Date.parse('2026-01-05T00:00:00Z');
    const to = from + (rows / GPUS - 1) * 60_000;
    const started = process.hrtime.bigint();
    const res = await fetch(
      `${base}/api/v1/export/metrics?format=csv&step=60&from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`,
    );
    if (res.status !== 200) throw new Error(`export answered ${res.status}: ${await res.text()}`);
    let bytes = 0;
    const reader = res.body!.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.length;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      rows,
      seconds: Math.round(seconds * 100) / 100,
      rowsPerSecond: Math.round(rows / seconds),
      outputMiB: Math.round((bytes / 2 ** 20) * 10) / 10,
      idleRssMiB,
      peakRssMiB: statusMiB(child.pid!, 'VmHWM'),
    };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
