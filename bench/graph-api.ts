import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../test/harness/free-port';
import { pollUntil } from '../test/harness/poll';

const ROOT = join(__dirname, '..');

export interface ApiProcess {
  readonly url: string;
  readonly pid: number;
  post(body: string): Promise<{ status: number; text: string; headers: Headers }>;
  stop(): Promise<void>;
}

/**
 * The compiled API (dist/, as deployed: NODE_ENV=production, AUTH_MODE=off) serving the embedded simulated fleet of
 * `scenario`. Ready once the analyzer has installed its first cycle (gpuScores lists rows).
 */
export async function startApi(
  scenario: string,
  env: Record<string, string>,
  nodeFlags: readonly string[] = [],
): Promise<ApiProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    // BENCH_DIST: a build of one's own (the shared dist/ may be rebuilt by someone else during a run).
    [...nodeFlags, join(ROOT, process.env.BENCH_DIST ?? 'dist', 'apps/api/src/main.js')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        AUTH_MODE: 'off',
        DATA_SOURCE: 'simulated',
        SIM_SCENARIO: scenario,
        PORT: String(port),
        LOG_LEVEL: 'error',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}/graphql`;
  const post = async (body: string) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: res.status, text: await res.text(), headers: res.headers };
  };
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await pollUntil(
      'the analyzer to install its first cycle',
      async () => {
        const res = await post(JSON.stringify({ query: '{ gpuScores(first: 1) { totalCount } }' })).catch(
          () => undefined,
        );
        if (!res || res.status !== 200) return undefined;
        const total = (JSON.parse(res.text) as { data?: { gpuScores?: { totalCount: number } } }).data
          ?.gpuScores?.totalCount;
        return total ? true : undefined;
      },
      { timeoutMs: 240_000, intervalMs: 500 },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, pid: child.pid!, post, stop };
}

/** What node:http adds or sets per response by itself (the ceiling's server does too). */
const PER_CONNECTION = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** The API's response headers as another server replays them (node:http sets the per-connection ones itself). */
export function replayedHeaders(headers: Headers): Record<string, string> {
  const fixed: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!PER_CONNECTION.has(name)) fixed[name] = value;
  });
  return fixed;
}

/**
 * The ceiling: plain node:http answering every request with `bytes` (the API's own answer) and `headers` (the API's
 * own response headers, so both send the same bytes on the wire but for Date and the request id's value).
 */
export async function startCeiling(
  bytes: string,
  headers: Headers,
): Promise<{ url: string; stop(): Promise<void> }> {
  const payload = Buffer.from(bytes);
  const fixed = replayedHeaders(headers);
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { ...fixed, 'content-length': payload.length });
      res.end(payload);
    });
  });
  return listening(server);
}

/** `server` listening on a free loopback port, answering on /graphql. */
export async function listening(server: Server): Promise<{ url: string; stop(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
