import { createServer, type Server, type Socket } from 'node:net';
import { type INestApplication, Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '@kcloud/common';
import { createApp } from '../apps/api/src/bootstrap';
import { SECRETS, sha256Hex } from './harness/auth-fixture';
import { gql } from './harness/graphql-client';
import { fetchSchema, operationFor, rootFields } from './harness/schema-probe';
import { connectWs } from './harness/ws-client';
import { at } from './harness/indexed';

const KEYS = JSON.stringify([{ name: 'ops', sha256: sha256Hex(SECRETS.admin), role: 'admin' }]);
const ADMIN = { authorization: `Bearer ${SECRETS.admin}` };

/**
 * How the API starts and what its configuration switches do: the production credential rule, AUTH_MODE=off, the
 * development default, production's introspection/CORS defaults, the depth limit, the query timeout and key expiry.
 * These need no Prometheus; they run on the embedded simulated fleet (asked for by DATA_SOURCE=simulated in production)
 * or a Prometheus that never answers.
 */
describe('access control configuration at start (embedded fleet)', () => {
  const apps: INestApplication[] = [];
  async function start(env: Record<string, string>): Promise<string> {
    const app = await createApp(loadConfig({ PORT: '0', LOG_LEVEL: 'warn', ...env }));
    apps.push(app);
    await app.listen(0, '127.0.0.1');
    return (await app.getUrl()).replace('[::1]', '127.0.0.1');
  }
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
    jest.restoreAllMocks();
  });

  it('refuses to start in production without any credential, in one line saying what to set', async () => {
    const attempt = createApp(
      loadConfig({ NODE_ENV: 'production', DATA_SOURCE: 'simulated', LOG_LEVEL: 'error' }),
    );
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(
      /NODE_ENV=production needs credentials: set API_KEYS, API_KEYS_FILE or API_AUTH_USERNAME/,
    );
  });

  it('refuses a key list holding a plain key, naming the entry', async () => {
    const attempt = createApp(
      loadConfig({ API_KEYS: JSON.stringify([{ name: 'ops', key: 'secret', role: 'admin' }]) }),
    );
    await expect(attempt).rejects.toThrow(/API_KEYS\[0\] must give the key's sha256, never the key itself/);
  });

  it('serves openly in development without credentials, warning at start', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const url = await start({});
    expect(warn.mock.calls.flat().join('\n')).toMatch(/serving WITHOUT authentication/);
    expect((await gql(url, '{ gpus { totalCount } }')).status).toBe(200);
  });

  it('turns authentication off with AUTH_MODE=off even when keys exist, and says so loudly', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const url = await start({
      AUTH_MODE: 'off',
      API_KEYS: KEYS,
      NODE_ENV: 'production',
      DATA_SOURCE: 'simulated',
    });
    expect(warn.mock.calls.flat().join('\n')).toMatch(/AUTH_MODE=off: authentication is DISABLED/);
    const res = await gql<{ gpus: { totalCount: number } }>(url, '{ gpus { totalCount } }');
    expect(res.errors).toBeUndefined();
  });

  it('in production turns introspection off and allows only the listed CORS origins', async () => {
    const url = await start({
      NODE_ENV: 'production',
      DATA_SOURCE: 'simulated',
      API_KEYS: KEYS,
      CORS_ORIGINS: 'https://ok.example',
    });
    const introspection = await gql(url, '{ __schema { queryType { name } } }', {}, ADMIN);
    expect(introspection.errors?.[0]?.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await gql(url, '{ gpus { totalCount } }', {}, ADMIN)).errors).toBeUndefined();
    const preflight = (origin: string) =>
      fetch(`${url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    expect((await preflight('https://ok.example')).headers.get('access-control-allow-origin')).toBe(
      'https://ok.example',
    );
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('rejects a query deeper than GRAPHQL_MAX_DEPTH with 400 naming the limit', async () => {
    const url = await start({ API_KEYS: KEYS, GRAPHQL_MAX_DEPTH: '3' });
    const res = await gql(url, '{ gpus { edges { node { uuid } } } }', {}, ADMIN);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.message).toBe('query depth 4 exceeds the maximum depth of 3');
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'GRAPHQL_MAX_DEPTH' });
  });

  describe('with a Prometheus that accepts connections and never answers', () => {
    let silent: Server;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      silent = createServer((s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    });
    afterAll(async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => silent.close(r));
    });

    it('ends a query at QUERY_TIMEOUT_MS with UPSTREAM_TIMEOUT naming the field', async () => {
      const port = (silent.address() as { port: number }).port;
      const url = await start({
        API_KEYS: KEYS,
        PROMETHEUS_URL: `http://127.0.0.1:${port}`,
        PROMETHEUS_TIMEOUT_MS: '60000',
        PROMETHEUS_RETRIES: '0',
        QUERY_TIMEOUT_MS: '300',
        ANALYZER_ENABLED: 'false',
      });
      const started = Date.now();
      const res = await gql(url, '{ gpus { totalCount } }', {}, ADMIN);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'UPSTREAM_TIMEOUT',
        limit: 'QUERY_TIMEOUT_MS',
      });
      expect(res.errors?.[0]?.message).toBe("'gpus' took longer than 300 ms");
      sockets.forEach((s) => s.destroy());
    });
  });

  it("closes a key's open subscriptions with 4401 when it expires, and refuses the key afterwards", async () => {
    const expiresAt = new Date(Date.now() + 3000).toISOString();
    const keys = JSON.stringify([
      { name: 'short', sha256: sha256Hex(SECRETS.expired), role: 'partner', expiresAt },
    ]);
    const url = await start({ API_KEYS: keys, ANALYZER_INTERVAL_SECONDS: '1' });
    const headers = { authorization: `Bearer ${SECRETS.expired}` };
    const schema = await fetchSchema(url, headers);
    const op = operationFor('subscription', at(rootFields(schema, 'subscription'), 0, 'subscription field'));
    const ws = connectWs(url, headers);
    try {
      await ws.connected;
      const sub = ws.subscribe(op.document, op.variables);
      const closed = await ws.closed;
      expect(closed).toEqual({ code: 4401, reason: 'API key expired' });
      expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
      await sub.done;
      expect((await gql(url, '{ gpus { totalCount } }', {}, headers)).status).toBe(401);
    } finally {
      await ws.dispose();
    }
  });
});
