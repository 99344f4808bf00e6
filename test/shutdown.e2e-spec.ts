import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import Redis from 'ioredis';
import { LEADER_LOCK_KEY } from '@kcloud/realtime';
import { freePort } from './harness/free-port';
import { pollUntil } from './harness/poll';
import { type RunningRedis, startRedis } from './harness/redis';
import { connectWs } from './harness/ws-client';

const ROOT = join(__dirname, '..');
const GRACE_SECONDS = 10;
const QUERY_DELAY_MS = 2500;
const EMPTY_VECTOR = JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } });

/**
 * The API as a child process (as `npm run start:dev` runs it) in front of a Prometheus that answers its probes at
 * once and its queries slowly, so an export is still in flight when SIGTERM arrives.
 */
describe('graceful shutdown on SIGTERM', () => {
  let upstream: Server;
  let upstreamUrl: string;
  let queryArrived: () => void = () => undefined;
  let child: ChildProcessWithoutNullStreams | undefined;
  let redis: RunningRedis;
  let redisClient: Redis;
  const answers = new Set<NodeJS.Timeout>();

  beforeAll(async () => {
    redis = await startRedis();
    redisClient = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    upstream = createServer((req, res) => {
      if (req.url?.startsWith('/-/ready')) return void res.end('ready');
      req.resume();
      queryArrived();
      const timer = setTimeout(() => {
        answers.delete(timer);
        res.setHeader('content-type', 'application/json');
        res.end(
          req.url?.includes('/label/') ? JSON.stringify({ status: 'success', data: [] }) : EMPTY_VECTOR,
        );
      }, QUERY_DELAY_MS);
      answers.add(timer);
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    answers.forEach((t) => clearTimeout(t));
    upstream.closeAllConnections();
    await new Promise((r) => upstream.close(r));
    redisClient?.disconnect();
    await redis?.stop();
  });

  /** main.ts as a child process on a free port, ready (one cluster up) when this resolves. */
  async function startApi(env: Record<string, string>) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const proc = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          PORT: String(port),
          PROMETHEUS_URL: upstreamUrl,
          PROMETHEUS_RETRIES: '0',
          REDIS_URL: redis.url,
          ANALYZER_ENABLED: 'false',
          CACHE_TTL_REALTIME_SECONDS: '0',
          HEALTH_PROBE_INTERVAL_SECONDS: '1',
          ...env,
        },
      },
    );
    child = proc;
    let output = '';
    proc.stdout.on('data', (c: Buffer) => (output += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>((r) =>
      proc.once('exit', (code, signal) => r({ code, signal })),
    );
    const diedEarly = exited.then(({ code }) =>
      Promise.reject(new Error(`the API exited ${code}: ${output.slice(-2000)}`)),
    );
    diedEarly.catch(() => undefined);
    await Promise.race([
      diedEarly,
      pollUntil(
        'the API ready',
        async () =>
          (await fetch(`${url}/health/ready`).catch(() => undefined))?.status === 200 ? true : undefined,
        {
          timeoutMs: 90_000,
          intervalMs: 250,
        },
      ),
    ]);
    return { proc, url, exited, output: () => output };
  }

  it('turns readiness 503 at once, closes subscriptions 1001, ends SSE streams, finishes the export, releases the leader lock and exits 0 within the grace', async () => {
    const { proc, url, exited, output } = await startApi({ SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS) });

    // The only replica leads; its lock must be released on the way out, not left to expire (15 s).
    expect(
      await pollUntil(
        'the leader lock taken',
        async () => (await redisClient.get(LEADER_LOCK_KEY)) ?? undefined,
      ),
    ).toBeTruthy();

    const ws = connectWs(url);
    await ws.connected;
    const sub = ws.subscribe('subscription { analysisCompleted { durationSeconds } }');
    await pollUntil('the subscription running', async () =>
      /^graphql_subscriptions_active\{[^}]*\} 1$/m.test(await (await fetch(`${url}/metrics`)).text())
        ? true
        : undefined,
    );

    const sse = await fetch(`${url}/api/v1/monitoring/stream/power?intervalSeconds=1`);
    expect(sse.status).toBe(200);
    const sseEnded = sse.text().then(
      () => 'ended',
      (e: unknown) => `failed: ${String(e)}`,
    );

    const arrived = new Promise<void>((r) => (queryArrived = r));
    const exportStarted = performance.now();
    const download = fetch(`${url}/api/v1/export/gpus?format=csv`).then(async (res) => ({
      status: res.status,
      body: await res.text(),
    }));
    await arrived;

    const signalled = performance.now();
    proc.kill('SIGTERM');
    await pollUntil(
      'readiness 503',
      async () => {
        const res = await fetch(`${url}/health/ready`);
        return res.status === 503 ? res : undefined;
      },
      { timeoutMs: 2000, intervalMs: 20 },
    );
    const readyMs = performance.now() - signalled;
    expect((await fetch(`${url}/health/live`)).status).toBe(200);

    expect(await ws.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    await sub.done;
    expect(await sseEnded).toBe('ended');

    const exported = await download;
    expect(exported.status).toBe(200);
    expect(exported.body.split('\n')[0]).toMatch(/^\S*uuid/);
    expect(performance.now() - exportStarted).toBeGreaterThanOrEqual(QUERY_DELAY_MS - 100);

    const exit = await exited;
    const exitMs = performance.now() - signalled;
    process.stdout.write(
      `[shutdown] readiness 503 after ${readyMs.toFixed(0)} ms; exit ${exit.code} after ${exitMs.toFixed(0)} ms\n`,
    );
    expect(exit).toEqual({ code: 0, signal: null });
    expect(exitMs).toBeLessThan(GRACE_SECONDS * 1000);
    expect(output()).toMatch(/SIGTERM: draining/);
    expect(await redisClient.get(LEADER_LOCK_KEY)).toBeNull();
    await ws.dispose();
  }, 120_000);

  it('cuts what is still open when the grace runs out, and still exits 0', async () => {
    const { proc, url, exited } = await startApi({ SHUTDOWN_GRACE_SECONDS: '1' });
    const arrived = new Promise<void>((r) => (queryArrived = r));
    const download = fetch(`${url}/api/v1/export/gpus?format=csv`).then(
      async (res) => `${res.status}: ${await res.text()}`,
      (e: unknown) => `cut: ${String(e)}`,
    );
    await arrived;
    const signalled = performance.now();
    proc.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    const exitMs = performance.now() - signalled;
    process.stdout.write(
      `[shutdown] grace 1 s with a 2.5 s export in flight: exit 0 after ${exitMs.toFixed(0)} ms\n`,
    );
    expect(exitMs).toBeLessThan(QUERY_DELAY_MS);
    expect(await download).toMatch(/^cut: /);
  }, 120_000);
});
