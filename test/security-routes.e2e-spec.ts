import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startApp } from './harness/app';
import { HEADERS, SECRETS, sha256Hex } from './harness/auth-fixture';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { useAuthStack } from './harness/use-stack';

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** GET with the path sent byte for byte (fetch would normalise `//`, `/./`, `%6D`), with a deadline. */
function rawGet(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.setTimeout(15_000, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

const METRICS_TOKEN = { authorization: `Bearer ${SECRETS.metrics}` };

/**
 * Every spelling of /metrics a client can send. Express 5 routes paths case-insensitively and non-strictly, so some
 * reach the /metrics handler; the others reach nothing. None may answer a scoped key better than /metrics does (401).
 */
const METRICS_SPELLINGS = [
  '/metrics/',
  '/METRICS',
  '/Metrics',
  '/mEtRiCs/',
  '/METRICS/',
  '//metrics',
  '/metrics//',
  '/%6Detrics',
  '/%6detrics',
  '/%2Fmetrics',
  '/metrics%2F',
  '/metrics;',
  '/metrics;x=1',
  '/metrics/;',
  '/metrics?',
  '/metrics?format=text',
  '/metrics/?x=1',
  '/metrics#x',
  '/./metrics',
  '/health/../metrics',
  '/metrics/.',
  '/metrics%20',
  '/metrics.',
  'http://example.invalid/METRICS',
];

describe('/metrics by every spelling (production, real keys, real Prometheus + fleet-sim)', () => {
  const auth = useAuthStack({ NODE_ENV: 'production', ANALYZER_INTERVAL_SECONDS: '1' });
  const { stack } = auth;

  beforeAll(async () => {
    // A leak is only shown once the scores are exported: wait until /metrics carries another tenant's series.
    const foreign = auth.scopes.foreignValue.partner.namespace!;
    await pollUntil('GPU scores of another tenant on /metrics', async () => {
      const res = await rawGet(stack.url, '/metrics', METRICS_TOKEN);
      return res.body.includes('gpu_utilization_score{') && res.body.includes(`"${foreign}"`)
        ? true
        : undefined;
    });
  });
  it('answers /metrics itself with 401 to API keys and 200 to its token (the reference the spellings are held to)', async () => {
    expect((await rawGet(stack.url, '/metrics', HEADERS.partner)).status).toBe(401);
    expect((await rawGet(stack.url, '/metrics', HEADERS.admin)).status).toBe(401);
    expect((await rawGet(stack.url, '/metrics', METRICS_TOKEN)).status).toBe(200);
  });

  it.each(METRICS_SPELLINGS)(
    'answers %s like /metrics: never the series to an API key, 401 where it reaches the handler',
    async (path) => {
      const answers: Record<string, number> = {};
      for (const who of ['partner', 'viewer', 'admin'] as const) {
        const res = await rawGet(stack.url, path, HEADERS[who]);
        expect({ who, series: /gpu_utilization_score|process_cpu_seconds_total/.test(res.body) }).toEqual({
          who,
          series: false,
        });
        answers[who] = res.status;
      }
      // Whether Express routes this spelling to the /metrics handler: its token reads it there (and nothing fails).
      const reached = (await rawGet(stack.url, path, METRICS_TOKEN)).status;
      expect([200, 404]).toContain(reached);
      const expected = reached === 200 ? 401 : 404;
      expect(answers).toEqual({ partner: expected, viewer: expected, admin: expected });
    },
  );

  it('keeps credentials out of a refused registerCluster URL', async () => {
    const register = 'mutation($i: RegisterClusterInput!) { registerCluster(input: $i) { name } }';
    for (const url of [
      'ftp://scraper:hunter2@prom.internal:9090',
      'gopher://prom.internal/?access_token=t0ken-42',
    ]) {
      const res = await gql(stack.url, register, { i: { name: 'leaky', url } }, HEADERS.admin);
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(res)).not.toMatch(/hunter2|t0ken-42/);
    }
  });

  it('keeps the probes open by any spelling that reaches them, and opens nothing else', async () => {
    for (const path of ['/health/live', '/HEALTH/live', '/health/live/', '/Api/V1/System/Health'])
      expect({ path, status: (await rawGet(stack.url, path)).status }).toEqual({ path, status: 200 });
    for (const path of [
      '/health/../api/v1/export/gpus',
      '/health/%2e%2e/api/v1/export/gpus',
      '/api/v1/system/health/../../export/gpus',
    ]) {
      const { status, body } = await rawGet(stack.url, path);
      expect([401, 404]).toContain(status);
      expect(body).not.toContain(auth.scopes.partnerNamespace);
    }
  });
});

const KEYS = JSON.stringify([{ name: 'ops', sha256: sha256Hex(SECRETS.admin), role: 'admin' }]);
const ROOT = join(__dirname, '..');

/** Runs apps/api/src/main.ts as `npm run start:dev` does, with exactly `env`; resolves when it exits or listens. */
function runApi(
  env: Record<string, string>,
  timeoutMs = 90_000,
): Promise<{ exit: number | null; stderr: string; listening: boolean }> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'log', ANALYZER_ENABLED: 'false', ...env },
    },
  );
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(null, false), timeoutMs);
    const finish = (exit: number | null, listening: boolean) => {
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
      resolve({ exit, stderr, listening });
    };
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (/listening on/.test(stdout)) finish(null, true);
    });
    child.on('exit', (code) => finish(code, false));
  });
}

describe('production without a data source', () => {
  it('refuses to start, in one config error line naming the variables, instead of serving the simulated fleet', async () => {
    const run = await runApi({ NODE_ENV: 'production', API_KEYS: KEYS });
    expect(run.listening).toBe(false);
    expect(run.exit).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      'Invalid configuration: NODE_ENV=production needs a data source: set PROMETHEUS_URL or PROMETHEUS_CLUSTERS ' +
        '(or DATA_SOURCE=simulated, or SIM_SCENARIO, to serve the simulated demo fleet on purpose)',
    ]);
  });

  it('serves the simulated fleet in production when asked for by DATA_SOURCE=simulated, and says so', async () => {
    const { app, url } = await startApp({
      NODE_ENV: 'production',
      API_KEYS: KEYS,
      DATA_SOURCE: 'simulated',
      LOG_LEVEL: 'error',
      ANALYZER_ENABLED: 'false',
    });
    try {
      const res = await gql<{ system: { dataSource: string } }>(
        url,
        '{ system { dataSource } }',
        {},
        HEADERS.admin,
      );
      expect(res.data?.system.dataSource).toBe('SIMULATED');
    } finally {
      await app.close();
    }
  });
});

/** A non-loopback address of this machine, to reach the API as another host on the network would. */
const LAN_ADDRESS = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('development defaults (NODE_ENV unset, no credentials)', () => {
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await startApp({ LOG_LEVEL: 'error', ANALYZER_ENABLED: 'false' }, { host: '0.0.0.0' }));
  });
  afterAll(async () => app?.close());

  it('answers no CORS preflight of a foreign origin (no origin reflected, no credentials allowed)', async () => {
    const res = await fetch(`${url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  const REMOVE = 'mutation { removeCluster(name: "no-such-cluster") }';
  const codeOf = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
    res.errors?.[0]?.extensions?.code;

  it('still serves the demo on this machine: queries, and admin mutations from loopback (npm start)', async () => {
    expect(
      (await gql<{ gpus: { totalCount: number } }>(url, '{ gpus { totalCount } }')).data?.gpus.totalCount,
    ).toBeGreaterThan(0);
    expect(codeOf(await gql(url, REMOVE))).not.toBe('FORBIDDEN');
    // GraphiQL served by this process sends its own origin.
    expect(codeOf(await gql(url, REMOVE, {}, { origin: url.replace('127.0.0.1', 'localhost') }))).not.toBe(
      'FORBIDDEN',
    );
  });

  it('refuses admin mutations relayed by a proxy on this machine (X-Forwarded-For: the client is elsewhere)', async () => {
    const res = await gql(url, REMOVE, {}, { 'x-forwarded-for': '203.0.113.9' });
    expect(codeOf(res)).toBe('FORBIDDEN');
  });

  (LAN_ADDRESS ? it : it.skip)(
    'refuses admin mutations from another host, with the reason, and still answers its queries',
    async () => {
      const lan = url.replace('127.0.0.1', LAN_ADDRESS!);
      expect(
        (await gql<{ gpus: { totalCount: number } }>(lan, '{ gpus { totalCount } }')).data?.gpus.totalCount,
      ).toBeGreaterThan(0);
      const res = await gql(lan, REMOVE);
      expect(codeOf(res)).toBe('FORBIDDEN');
      expect(res.errors?.[0]?.message).toMatch(
        /without credentials configured, admin operations are accepted from this machine only/,
      );
    },
  );

  it('refuses graphql-ws operations of a foreign page (WebSockets have no CORS)', async () => {
    const subscribe = async (origin: string) => {
      class FromPage extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { origin } });
        }
      }
      const client = createClient({
        url: url.replace(/^http/, 'ws') + '/graphql',
        webSocketImpl: FromPage,
        retryAttempts: 0,
        lazy: true,
      });
      try {
        return await new Promise<unknown>((resolve) => {
          const stop = client.subscribe(
            { query: 'subscription { powerUpdated(intervalSeconds: 1) { __typename } }' },
            {
              next: (value) => {
                stop();
                resolve(value.errors?.[0]?.extensions?.code ?? 'event');
              },
              error: (e) =>
                resolve(
                  Array.isArray(e)
                    ? (e[0] as { extensions?: { code?: string } }).extensions?.code
                    : String(e),
                ),
              complete: () => resolve('complete'),
            },
          );
        });
      } finally {
        await client.dispose();
      }
    };
    expect(await subscribe('http://localhost:3000')).toBe('event');
    expect(await subscribe('https://evil.example')).toBe('FORBIDDEN');
  });
});
