import { join } from 'node:path';
import { apiKeysEnv, bearer } from './harness/api-keys';
import { type RunningApp, startApp } from './harness/app';
import { pollUntil } from './harness/poll';

/**
 * /metrics carries every tenant's series (gpu_utilization_score{namespace,pod}). In production with credentials and no
 * METRICS_TOKEN it used to be open to anyone who reached the port (warned only); now it needs an admin credential, and
 * METRICS_PUBLIC=true is the explicit way back to an open endpoint.
 */
const DEMO_SCENARIO = join(__dirname, '..', 'libs', 'fleet-model', 'scenarios', 'demo.yaml');
const SECRETS = {
  admin: 'kc_metrics_admin_1',
  viewer: 'kc_metrics_viewer_1',
  partner: 'kc_metrics_partner_1',
};
const ROUTES = ['/metrics', '/api/v1/system/metrics'];

const productionEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  NODE_ENV: 'production',
  LOG_LEVEL: 'error',
  SIM_SCENARIO: DEMO_SCENARIO,
  ANALYZER_INTERVAL_SECONDS: '1',
  ANALYZER_WINDOW_SECONDS: '5',
  API_KEYS: apiKeysEnv([
    { name: 'ops', secret: SECRETS.admin, role: 'admin' },
    { name: 'viewer', secret: SECRETS.viewer, role: 'viewer', namespaces: ['inference'] },
    { name: 'partner', secret: SECRETS.partner, role: 'partner', namespaces: ['inference'] },
  ]),
  ...extra,
});

async function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: await res.text() };
}

describe('/metrics in production without METRICS_TOKEN', () => {
  let api: RunningApp;
  beforeAll(async () => {
    api = await startApp(productionEnv());
    // Scores exist: the series a tenant must not read are really there for the admin.
    await pollUntil('scores on /metrics', async () => {
      const { body } = await get(`${api.url}/metrics`, bearer(SECRETS.admin));
      return /^gpu_utilization_score\{/m.test(body) ? true : undefined;
    });
  });
  afterAll(async () => {
    await api?.app.close();
  });

  it.each(ROUTES)('%s refuses a caller without credentials with 401 saying what to set', async (route) => {
    const res = await get(`${api.url}${route}`);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/needs an admin credential.*METRICS_TOKEN.*METRICS_PUBLIC=true/),
    });
  });

  it.each(ROUTES)('%s refuses scoped keys (every tenant is in there) with 403', async (route) => {
    for (const secret of [SECRETS.viewer, SECRETS.partner]) {
      const res = await get(`${api.url}${route}`, bearer(secret));
      expect(res.status).toBe(403);
      expect(res.body).not.toMatch(/gpu_utilization_score/);
    }
  });

  it.each(ROUTES)('%s serves an admin key, with every namespace', async (route) => {
    const res = await get(`${api.url}${route}`, bearer(SECRETS.admin));
    expect(res.status).toBe(200);
    const namespaces = new Set(
      [...res.body.matchAll(/^gpu_utilization_score\{[^}]*namespace="([^"]*)"/gm)].map((m) => m[1]),
    );
    expect(namespaces.size).toBeGreaterThan(1);
  });
});

describe('/metrics in production with METRICS_PUBLIC=true', () => {
  let api: RunningApp;
  beforeAll(async () => {
    api = await startApp(productionEnv({ METRICS_PUBLIC: 'true', ANALYZER_ENABLED: 'false' }));
  });
  afterAll(async () => {
    await api?.app.close();
  });

  it('is open, as chosen', async () => {
    const res = await get(`${api.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/^kcloud_build_info\{/m);
  });
});
