import WebSocket from 'ws';
import { apiKeyEntry } from './harness/api-keys';
import { HEADERS, SECRETS } from './harness/auth-fixture';
import { foreignTokensIn } from './harness/leaks';
import { pollUntil } from './harness/poll';
import { getRoute } from './harness/rest-routes';
import { useAuthStack } from './harness/use-stack';

const POWER_PATH = '/api/v1/monitoring/stream/power';
const SHORT_LIVED = 'kc_short_lived_7e7e7e7e';
/** A plain WebSocket client, as the seeds' users have: headers on the upgrade, JSON messages. */
interface PlainSocket {
  readonly ws: WebSocket;
  readonly messages: Record<string, unknown>[];
  /** Resolves with the upgrade's HTTP status when refused, or 101 once open. */
  readonly outcome: Promise<number>;
  readonly closed: Promise<{ code: number; reason: string }>;
}

function plainSocket(url: string, query: string, headers: Record<string, string>): PlainSocket {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}${POWER_PATH}${query}`, { headers });
  const messages: Record<string, unknown>[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
  const outcome = new Promise<number>((resolve) => {
    ws.once('open', () => resolve(101));
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.once('error', () => resolve(0));
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  return { ws, messages, outcome, closed };
}

const METRICS_TOKEN = { authorization: `Bearer ${SECRETS.metrics}` };

async function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(15_000) });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

/** The seeds' URLs (README "Coming from …"), answered as those seeds' clients read them, through the real stack. */
describe('seed URLs (real Prometheus + fleet-sim, production keys)', () => {
  const sockets: WebSocket[] = [];
  // The key expires 40 s after the suite starts (the last test waits for it to close its WebSocket).
  const shortLivedUntil = Date.now() + 40_000;
  const auth = useAuthStack(
    { NODE_ENV: 'production', MAX_CONNECTIONS_PER_KEY: '2' },
    [
      apiKeyEntry({
        name: 'short-lived',
        secret: SHORT_LIVED,
        role: 'partner',
        expiresAt: new Date(shortLivedUntil).toISOString(),
      }),
    ],
    {
      closeFirst: () => {
        for (const ws of sockets) ws.terminate();
      },
    },
  );
  const { stack } = auth;
  const open = (query: string, headers: Record<string, string>): PlainSocket => {
    const s = plainSocket(stack.url, query, headers);
    sockets.push(s.ws);
    return s;
  };

  it("answers seed 002's probe GET /health without credentials: 200 with status and prometheus_connected", async () => {
    const res = await get(`${stack.url}/health`);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'healthy', prometheus_connected: true });
    expect(typeof body.timestamp).toBe('string');
  });

  it("answers seed 004's Docker health check GET /api/healthz: 200 {success, message, data: {status, timestamp, version}}", async () => {
    const res = await get(`${stack.url}/api/healthz`);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as { success: boolean; message: string; data: Record<string, unknown> };
    expect(body.success).toBe(true);
    expect(body.message).toBe('Service is healthy');
    expect(body.data).toMatchObject({
      status: 'healthy',
      version: expect.any(String),
      timestamp: expect.any(String),
    });
  });

  it("answers seed 001's GET /api/v1/system/version without credentials with the package version", async () => {
    const res = await get(`${stack.url}/api/v1/system/version`);
    expect(res.status).toBe(200);
    const pkg = (await import('../package.json')) as { version: string };
    expect(JSON.parse(res.body)).toMatchObject({ name: 'kcloud-monitor', version: pkg.version });
  });

  it("serves seed 001's GET /api/v1/system/metrics exactly like /metrics: its token only, never an API key", async () => {
    for (const headers of [{}, HEADERS.admin, HEADERS.partner, { 'x-api-key': SECRETS.admin }]) {
      expect((await get(`${stack.url}/api/v1/system/metrics`, headers)).status).toBe(
        (await get(`${stack.url}/metrics`, headers)).status,
      );
      expect((await get(`${stack.url}/api/v1/system/metrics`, headers)).status).toBe(401);
    }
    const res = await get(`${stack.url}/api/v1/system/metrics`, METRICS_TOKEN);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/^# HELP /m);
    expect(res.body).toContain('process_cpu_user_seconds_total');
  });

  it('refuses a plain WebSocket on the power path without credentials (401) and to a viewer (403), like the SSE route', async () => {
    expect(await open('', {}).outcome).toBe(401);
    expect(await open('', { authorization: 'Bearer kc_wrong_key_123456' }).outcome).toBe(401);
    expect(await open('', HEADERS.viewer).outcome).toBe(403);
    expect((await getRoute(`${stack.url}${POWER_PATH}`, HEADERS.viewer)).status).toBe(403);
    expect(await open('?groupBy=bogus', HEADERS.admin).outcome).toBe(400);
  });

  it("streams the SSE route's snapshots to a plain WebSocket, within the key's scope (partner: its namespace only)", async () => {
    const query = '?groupBy=namespace&intervalSeconds=1';
    const partner = open(query, HEADERS.partner); // X-API-Key
    const admin = open(query, HEADERS.admin); // Authorization: Bearer
    expect(await partner.outcome).toBe(101);
    expect(await admin.outcome).toBe(101);
    // The same key, arguments and scope on SSE: the hub shares one timer, so sequences line up.
    const sse = await getRoute(`${stack.url}${POWER_PATH}${query}`, HEADERS.partner, {
      sseEvents: 2,
      sseWindowMs: 8_000,
    });
    expect(sse.status).toBe(200);
    const sseSnapshots = sse.events.map((e) => JSON.parse(e) as Record<string, unknown>);
    const common = await pollUntil('a WebSocket snapshot with the sequence of an SSE one', async () => {
      const match = partner.messages.find((m) => sseSnapshots.some((e) => e.sequence === m.sequence));
      return match;
    });
    expect(common).toEqual(sseSnapshots.find((e) => e.sequence === common.sequence));
    await pollUntil('an admin snapshot', async () => (admin.messages.length ? true : undefined));
    const namespaces = (m: Record<string, unknown>) => (m.groups as { key: string }[]).map((g) => g.key);
    for (const m of partner.messages) expect(namespaces(m)).toEqual([auth.scopes.partnerNamespace]);
    expect(foreignTokensIn(partner.messages, auth.scopes.foreignTokens.partner)).toEqual([]);
    // The admin's snapshots do name other namespaces: the partner's silence is filtering, not chance.
    expect(foreignTokensIn(admin.messages, auth.scopes.foreignTokens.partner).length).toBeGreaterThan(0);
    partner.ws.close();
    admin.ws.close();
    await Promise.all([partner.closed, admin.closed]);
  });

  it('counts a WebSocket against MAX_CONNECTIONS_PER_KEY together with SSE streams, and gives the slot back on close', async () => {
    const first = open('', HEADERS.partner);
    const second = open('', HEADERS.partner);
    expect([await first.outcome, await second.outcome]).toEqual([101, 101]);
    expect(await open('', HEADERS.partner).outcome).toBe(429);
    expect((await getRoute(`${stack.url}${POWER_PATH}`, HEADERS.partner)).status).toBe(429);
    first.ws.close();
    await first.closed;
    const again = await pollUntil('a slot again after a close', async () => {
      const s = open('', HEADERS.partner);
      const status = await s.outcome;
      return status === 101 ? s : undefined;
    });
    again.ws.close();
    second.ws.close();
    await Promise.all([again.closed, second.closed]);
  });

  it('closes the WebSocket (4401) when its key expires, as the SSE stream ends', async () => {
    const s = open('?intervalSeconds=1', { 'x-api-key': SHORT_LIVED });
    expect(await s.outcome).toBe(101);
    const closed = await s.closed;
    expect(closed.code).toBe(4401);
    expect(Date.now()).toBeGreaterThanOrEqual(shortLivedUntil - 1000);
    expect(s.messages.length).toBeGreaterThan(0);
  }, 60_000);
});
