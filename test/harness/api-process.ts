import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './free-port';

export interface ApiProcess {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly pid: number;
  /** Everything the process wrote to stdout and stderr so far (logs). */
  output(): string;
  /** Resident set size in MiB, from /proc (undefined once the process is gone). */
  rssMiB(): Promise<number | undefined>;
  /** SIGKILL: no shutdown hook runs (the leader lock is not released, nothing is flushed). */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/**
 * The API in its own process (ts-node, as `npm run start:dev` would run it), configured by `env` alone on a free
 * loopback port; resolves once `/health/live` answers. For suites that kill a replica for real.
 */
export async function startApiProcess(
  env: Readonly<Record<string, string>>,
  {
    startTimeoutMs = 90_000,
    nodeArgs = [],
  }: {
    startTimeoutMs?: number;
    /** Extra node flags before the entry (the soak passes `--inspect=127.0.0.1:<port>` to measure live heap). */
    nodeArgs?: readonly string[];
  } = {},
): Promise<ApiProcess> {
  const port = await freePort();
  const root = join(__dirname, '..', '..');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...nodeArgs,
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      join(root, 'apps/api/src/main.ts'),
    ],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        LOG_LEVEL: 'log',
        ...env,
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    // Bounded: a long soak logs a lot; the tail is what a failure message needs.
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  // A process that exits while starting fails at once (a boot error), not at the deadline.
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}: ${out.slice(-2000)}`);
    const res = await fetch(`${url}/health/live`).catch(() => undefined);
    if (res?.ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`API process on port ${port} not live after ${startTimeoutMs} ms: ${out.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const signal = async (s: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(s);
    await exited;
  };
  return {
    url,
    pid: child.pid!,
    output: () => out,
    async rssMiB() {
      const { readFile } = await import('node:fs/promises');
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
      const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
      return kb ? Number(kb) / 1024 : undefined;
    },
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
  };
}
