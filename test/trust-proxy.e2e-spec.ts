import { join } from 'node:path';
import WebSocket from 'ws';
import { apiKeysEnv, bearer } from './harness/api-keys';
import { type RunningApp, startApp } from './harness/app';
import { type Closed, connectWs } from './harness/ws-client';

/**
 * Behind an ingress every request arrives from the ingress's address. Failed authentications are counted per client
 * address, so without TRUST_PROXY one guesser locks every client out; with it, the forwarded client is counted, and a
 * client that is not a trusted proxy still cannot choose its address with X-Forwarded-For.
 * Here the test process is the "ingress": it connects from 127.0.0.1 and names clients in X-Forwarded-For.
 */
const DEMO_SCENARIO = join(__dirname, '..', 'libs', 'fleet-model', 'scenarios', 'demo.yaml');
const ADMIN = 'kc_trust_proxy_admin_secret';
const PARTNER = 'kc_trust_proxy_partner_secret';
const FAILURES = 3;

const productionEnv = (trustProxy?: string): Record<string, string> => ({
  NODE_ENV: 'production',
  LOG_LEVEL: 'error',
  SIM_SCENARIO: DEMO_SCENARIO,
  ANALYZER_ENABLED: 'false',
  API_KEYS: apiKeysEnv([
    { name: 'ops', secret: ADMIN, role: 'admin' },
    { name: 'tenant', secret: PARTNER, role: 'partner', namespaces: ['inference'] },
  ]),
  AUTH_FAILURES_PER_MINUTE: String(FAILURES),
  ...(trustProxy ? { TRUST_PROXY: trustProxy } : {}),
});

async function graphqlAs(url: string, forwardedFor: string, secret: string): Promise<number> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor, ...bearer(secret) },
    body: JSON.stringify({ query: '{ system { version } }' }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** The status of the power stream (SSE), read from its headers; the stream itself is then dropped. */
async function restAs(url: string, forwardedFor: string, secret: string): Promise<number> {
  const abort = new AbortController();
  const res = await fetch(`${url}/api/v1/monitoring/stream/power`, {
    headers: { 'x-forwarded-for': forwardedFor, ...bearer(secret) },
    signal: abort.signal,
  });
  abort.abort();
  return res.status;
}

async function wsInitAs(url: string, forwardedFor: string, secret: string): Promise<'acknowledged' | Closed> {
  class Forwarded extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers: { 'x-forwarded-for': forwardedFor } });
    }
  }
  const ws = connectWs(url, bearer(secret), Forwarded as unknown as typeof WebSocket);
  const outcome = await Promise.race([ws.connected.then(() => 'acknowledged' as const), ws.closed]);
  await ws.dispose();
  return outcome;
}

/** A guesser behind the ingress exhausts its failures. */
async function guess(url: string, forwardedFor: string): Promise<void> {
  for (let i = 0; i < FAILURES; i++) expect(await graphqlAs(url, forwardedFor, `kc_wrong_${i}`)).toBe(401);
}

describe('TRUST_PROXY: failed-authentication throttling per forwarded client', () => {
  describe('with the ingress trusted (TRUST_PROXY=loopback)', () => {
    let api: RunningApp;
    beforeAll(async () => {
      api = await startApp(productionEnv('loopback'));
    });
    afterAll(async () => {
      await api?.app.close();
    });

    it('refuses the guesser on every transport while other clients behind the same ingress are served', async () => {
      await guess(api.url, '203.0.113.10');
      expect(await graphqlAs(api.url, '203.0.113.10', ADMIN)).toBe(429);
      expect(await restAs(api.url, '203.0.113.10', ADMIN)).toBe(429);
      expect(await wsInitAs(api.url, '203.0.113.10', PARTNER)).toMatchObject({ code: 4429 });

      expect(await graphqlAs(api.url, '198.51.100.20', ADMIN)).toBe(200);
      expect(await restAs(api.url, '198.51.100.20', PARTNER)).toBe(200);
      expect(await wsInitAs(api.url, '198.51.100.20', PARTNER)).toBe('acknowledged');
    });

    it('counts the hop its trusted proxy saw, not a left-most address the client wrote itself', async () => {
      // The client prepends a fresh address on every try; the ingress appends the real one.
      for (let i = 0; i < FAILURES; i++)
        expect(await graphqlAs(api.url, `10.66.0.${i}, 203.0.113.30`, `kc_wrong_${i}`)).toBe(401);
      expect(await graphqlAs(api.url, '10.66.0.99, 203.0.113.30', ADMIN)).toBe(429);
    });
  });

  describe('without TRUST_PROXY', () => {
    let api: RunningApp;
    beforeAll(async () => {
      api = await startApp(productionEnv());
    });
    afterAll(async () => {
      await api?.app.close();
    });

    it('ignores X-Forwarded-For: the connection is the client, so a header cannot dodge the throttle', async () => {
      await guess(api.url, '203.0.113.40');
      // Another "client" named in the header is the same connection's address: still refused.
      expect(await graphqlAs(api.url, '198.51.100.50', ADMIN)).toBe(429);
    });
  });
});
