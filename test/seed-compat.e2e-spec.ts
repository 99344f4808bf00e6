import { HEADERS, SECRETS, startAuthStack } from './harness/auth-fixture';
import type { Stack } from './harness/stack';

const METRICS_TOKEN = { authorization: `Bearer ${SECRETS.metrics}` };

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(15_000) });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

/** The seeds' URLs (README "Coming from …"), answered as those seeds' clients read them, through the real stack. */
describe("seed URLs (real Prometheus + fleet-sim, production keys)", () => {
  let stack: Stack;

  beforeAll(async () => {
    ({ stack } = await startAuthStack({ NODE_ENV: 'production' }));
  });
  afterAll(async () => {
    await stack?.close();
  });

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
    expect(body.data).toMatchObject({ status: 'healthy', version: expect.any(String), timestamp: expect.any(String) });
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
});
