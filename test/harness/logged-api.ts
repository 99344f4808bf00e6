import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './free-port';
import { pollUntil } from './poll';

export interface LoggedApi {
  readonly url: string;
  /** Every stdout line so far (the JSON log), stderr kept apart. */
  readonly lines: string[];
  readonly stderr: string[];
  /** Resolves with the first stdout line matching `test` (polls until it arrives). */
  waitForLine(what: string, test: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The API as it ships: `apps/api/src/main.ts` in its own Node process (ts-node, as `npm run start:dev`), configured by
 * `env` alone, with its stdout split into lines so a test reads exactly what a log collector would.
 */
export async function startLoggedApi(env: Readonly<Record<string, string>>): Promise<LoggedApi> {
  const port = await freePort();
  const root = join(__dirname, '..', '..');
  const child: ChildProcess = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const stderr: string[] = [];
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts.filter((l) => l.length));
  });
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const api: LoggedApi = {
    url,
    lines,
    stderr,
    waitForLine: (what, test, timeoutMs = 15_000) =>
      pollUntil(what, () => Promise.resolve(lines.find(test)), { timeoutMs, intervalMs: 50 }),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
  try {
    await pollUntil(
      'the API process to answer /health/live',
      async () => {
        if (child.exitCode !== null)
          throw new Error(`API exited ${child.exitCode}: ${stderr.join('').slice(0, 2000)}`);
        const res = await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(2_000) });
        return res.ok ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
  } catch (e) {
    await api.stop();
    throw e;
  }
  return api;
}
