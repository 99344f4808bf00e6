import { apiKeysEnv } from './harness/api-keys';
import { type LoggedApi, startLoggedApi } from './harness/logged-api';
import { pollUntil } from './harness/poll';
import { connectWs } from './harness/ws-client';

/** The Basic account's user name is its identity (the audit's "who"); its password is a secret. */
const BASIC_USER = 'log-ops';
/** Every credential the process is configured with; none may appear in any log line, in any encoding. */
const SECRETS = {
  admin: 'kc_log_admin_5d1e9a7b',
  partner: 'kc_log_partner_2c4f8e1a',
  basicPassword: 'log-basic-pass-3k7m',
  metrics: 'log-metrics-token-6q2w',
  webhookPassword: 'hook-pass-8v4x',
} as const;
const BASIC = `Basic ${Buffer.from(`${BASIC_USER}:${SECRETS.basicPassword}`).toString('base64')}`;

type Line = Record<string, unknown> & {
  requestId?: string;
  context?: string;
  msg?: string;
  access?: Record<string, unknown>;
  audit?: boolean;
};

const parsed = (api: LoggedApi): Line[] => api.lines.map((l) => JSON.parse(l) as Line);

async function graphql(
  url: string,
  headers: Record<string, string>,
  query: string,
  variables = {},
): Promise<Response> {
  return fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15_000),
  });
}

const UPDATE = `mutation Tune($input: UpdateAnalyzerConfigInput!) { updateAnalyzerConfig(input: $input) { version intervalSeconds } }`;

describe('structured logs (the API as a process, stdout captured)', () => {
  let api: LoggedApi;

  beforeAll(async () => {
    api = await startLoggedApi({
      NODE_ENV: 'development',
      // The seeds' spelling of the level (seed 002): accepted, and debug lines appear.
      LOG_LEVEL: 'DEBUG',
      API_KEYS: apiKeysEnv([
        { name: 'ops-admin', secret: SECRETS.admin, role: 'admin' },
        { name: 'partner-a', secret: SECRETS.partner, role: 'partner', namespaces: ['team-a'] },
      ]),
      API_AUTH_USERNAME: BASIC_USER,
      API_AUTH_PASSWORD: SECRETS.basicPassword,
      METRICS_TOKEN: SECRETS.metrics,
      ANALYZER_ALERT_WEBHOOK_URL: `https://hook-user:${SECRETS.webhookPassword}@hooks.example.invalid/alert?token=${SECRETS.webhookPassword}`,
    });
  }, 90_000);
  afterAll(async () => {
    await api?.stop();
  });

  it('writes every stdout line as one JSON object', async () => {
    await api.waitForLine('the listening line', (l) => l.includes('listening on'));
    for (const line of api.lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(parsed(api).every((l) => typeof l.level === 'number' && typeof l.msg === 'string')).toBe(true);
  });

  it("keeps the caller's X-Request-Id, echoes it and logs the access line with it and the key's name, never the key", async () => {
    const id = 'req-log-e2e-0001';
    const res = await fetch(`${api.url}/api/v1/export/gpus?format=json&token=${SECRETS.admin}`, {
      headers: {
        authorization: `Bearer ${SECRETS.admin}`,
        'x-request-id': id,
        cookie: `session=${SECRETS.partner}`,
      },
    });
    await res.arrayBuffer();
    expect(res.headers.get('x-request-id')).toBe(id);
    const line = await api.waitForLine(
      'the access line of the export',
      (l) => l.includes(id) && l.includes('"access"'),
    );
    const access = (JSON.parse(line) as Line).access!;
    expect(JSON.parse(line)).toMatchObject({ requestId: id });
    expect(access).toMatchObject({
      method: 'GET',
      route: '/api/v1/export/:dataset',
      status: res.status,
      key: 'ops-admin',
      role: 'admin',
    });
    expect(typeof access.durationMs).toBe('number');
    expect(String(access.path)).toContain('token=***');
  });

  it('replaces an unsafe X-Request-Id (too long, or with a newline or quotes) by a generated one', async () => {
    for (const bad of ['x'.repeat(300), 'a"b', 'a b', '../../etc']) {
      const res = await fetch(`${api.url}/health/live`, { headers: { 'x-request-id': bad } });
      const echoed = res.headers.get('x-request-id')!;
      expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
      await api.waitForLine('the access line with the generated id', (l) => l.includes(echoed));
    }
  });

  it('writes an audit line for updateAnalyzerConfig: who, what, the arguments and ok, under the request id', async () => {
    const id = 'req-audit-0002';
    const res = await graphql(
      api.url,
      { authorization: `Bearer ${SECRETS.admin}`, 'x-request-id': id },
      UPDATE,
      {
        input: { intervalSeconds: 120 },
      },
    );
    expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
    const line = await api.waitForLine('the audit line', (l) => l.includes('"audit":true') && l.includes(id));
    expect(JSON.parse(line)).toMatchObject({
      requestId: id,
      context: 'Audit',
      key: 'ops-admin',
      role: 'admin',
      mutation: 'updateAnalyzerConfig',
      operation: 'Tune',
      transport: 'http',
      args: { input: { intervalSeconds: 120 } },
      result: 'ok',
    });
    // The access line of the same request names the key too.
    await api.waitForLine(
      'the access line of the mutation',
      (l) => l.includes(id) && l.includes('"key":"ops-admin"') && l.includes('"access"'),
    );
  });

  it('audits a refused mutation as an error with its code, and a Basic login by its user name', async () => {
    const id = 'req-audit-0003';
    const res = await graphql(api.url, { authorization: BASIC, 'x-request-id': id }, UPDATE, {
      input: { intervalSeconds: -5 },
    });
    expect(((await res.json()) as { errors?: unknown[] }).errors?.length).toBeGreaterThan(0);
    const line = await api.waitForLine(
      'the failed audit line',
      (l) => l.includes('"audit":true') && l.includes(id),
    );
    expect(JSON.parse(line)).toMatchObject({
      mutation: 'updateAnalyzerConfig',
      result: 'error',
      key: BASIC_USER,
    });
  });

  it("logs graphql-ws operations with the connection's key name (never its connectionParams)", async () => {
    const ws = connectWs(api.url, { authorization: `Bearer ${SECRETS.admin}` });
    try {
      await ws.connected;
      const sub = ws.subscribe('subscription { powerUpdated(intervalSeconds: 1) { totalWatts } }');
      await pollUntil('a power event over graphql-ws', async () => (sub.events.length ? true : undefined), {
        timeoutMs: 20_000,
      });
      const line = await api.waitForLine('the graphql-ws line', (l) => l.includes('"context":"GraphqlWs"'));
      expect(JSON.parse(line)).toMatchObject({ key: 'ops-admin', field: 'powerUpdated' });
      const mutation = ws.subscribe(UPDATE, { input: { intervalSeconds: 150 } });
      await mutation.done;
      const audit = await api.waitForLine(
        'the graphql-ws audit line',
        (l) => l.includes('"audit":true') && l.includes('"transport":"graphql-ws"'),
      );
      expect(JSON.parse(audit)).toMatchObject({
        key: 'ops-admin',
        mutation: 'updateAnalyzerConfig',
        result: 'ok',
      });
      sub.stop();
    } finally {
      await ws.dispose();
    }
  });

  it('never writes a configured secret in any line (plain, base64 or URL-encoded)', async () => {
    // Refusals and the other credential carriers log too.
    await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${SECRETS.partner}` } });
    await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${SECRETS.metrics}` } });
    await fetch(`${api.url}/api/v1/system/health`, { headers: { 'x-api-key': `${SECRETS.partner}-wrong` } });
    await graphql(api.url, { 'x-api-key': SECRETS.partner }, '{ system { version } }');
    await api.waitForLine(
      'the last access line',
      (l) => l.includes('"access"') && l.includes('"key":"partner-a"'),
    );
    const forms = Object.values(SECRETS).flatMap((s) => [
      s,
      encodeURIComponent(s),
      Buffer.from(s).toString('base64'),
    ]);
    forms.push(BASIC.slice('Basic '.length));
    const leaks = api.lines.filter((l) => forms.some((f) => l.includes(f)));
    expect(leaks).toEqual([]);
    expect(api.lines.length).toBeGreaterThan(10);
  });
});
