import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WrkResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
}

const toMs = (value: string): number => {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(value.trim());
  if (!m) throw new Error(`wrk latency not understood: ${value}`);
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
};

/** One wrk run (Debian's wrk 4) POSTing `body` as JSON; `--latency` gives the percentiles. */
export async function wrk(
  url: string,
  body: string,
  opts: { connections: number; seconds: number; threads?: number },
): Promise<WrkResult> {
  const script = join(tmpdir(), `graph-bench-${process.pid}-${Math.random().toString(36).slice(2)}.lua`);
  writeFileSync(
    script,
    `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = ${JSON.stringify(body)}\n`,
  );
  const threads = Math.min(opts.threads ?? 2, opts.connections);
  const { stdout } = await run(
    'wrk',
    ['--latency', `-t${threads}`, `-c${opts.connections}`, `-d${opts.seconds}s`, '-s', script, url],
    { maxBuffer: 1 << 20 },
  );
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  const p50 = /^\s+50%\s+(\S+)/m.exec(stdout);
  const p99 = /^\s+99%\s+(\S+)/m.exec(stdout);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout);
  if (!rps || !p50 || !p99) throw new Error(`wrk output not understood:\n${stdout}`);
  return {
    requestsPerSecond: Number(rps[1]),
    p50Ms: toMs(p50[1]!),
    p99Ms: toMs(p99[1]!),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
  };
}
