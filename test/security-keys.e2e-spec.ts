import { createHash } from 'node:crypto';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningApp, startApp } from './harness/app';
import { pollUntil } from './harness/poll';
import { type RunningRedis, startRedis } from './harness/redis';
import { type Closed, connectWs, type WsConnection } from './harness/ws-client';
import Redis from 'ioredis';
import WebSocket from 'ws';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const DEMO_SCENARIO = join(__dirname, '..', 'libs', 'fleet-model', 'scenarios', 'demo.yaml');
const SUBSCRIPTION = 'subscription { powerUpdated(intervalSeconds: 1) { totalWatts } }';

/** Production mode on the simulated demo fleet (asked for explicitly), keys from a reloaded API_KEYS_FILE. */
function productionEnv(keysFile: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'error',
    SIM_SCENARIO: DEMO_SCENARIO,
    ANALYZER_ENABLED: 'false',
    API_KEYS_FILE: keysFile,
    API_KEYS_RELOAD_SECONDS: '1',
    // Polling for a reload makes failed attempts on purpose; the throttle has its own suite below.
    AUTH_FAILURES_PER_MINUTE: '100000',
    ...extra,
  };
}

interface KeySpec {
  readonly name: string;
  readonly secret: string;
  readonly role?: string;
  readonly expiresAt?: string;
}

const entries = (...keys: KeySpec[]) =>
  keys.map((k) => ({
    name: k.name,
    sha256: sha256(k.secret),
    role: k.role ?? 'partner',
    expiresAt: k.expiresAt,
  }));

/** Replaces the file the way a Kubernetes Secret volume does: a new file renamed over the old one. */
function writeKeys(file: string, content: unknown): void {
  writeFileSync(`${file}.tmp`, typeof content === 'string' ? content : JSON.stringify(content));
  renameSync(`${file}.tmp`, file);
}

function newKeysFile(...keys: KeySpec[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kcloud-security-keys-')), 'keys.json');
  writeKeys(file, entries(...keys));
  return file;
}

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

async function graphqlStatus(url: string, secret: string): Promise<number> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(secret) },
    body: JSON.stringify({ query: '{ system { version } }' }),
  });
  return res.status;
}

/** Polls until `secret` gets `status` over HTTP (a reload has been applied). */
const untilStatus = (url: string, secret: string, status: number) =>
  pollUntil(
    `the key to answer ${status}`,
    async () => ((await graphqlStatus(url, secret)) === status ? true : undefined),
    {
      timeoutMs: 10_000,
      intervalMs: 200,
    },
  );

/** An open SSE power stream whose first event has arrived. */
async function openSse(url: string, secret: string): Promise<ReadableStreamDefaultReader<Uint8Array>> {
  const res = await fetch(`${url}/api/v1/monitoring/stream/power?intervalSeconds=1`, {
    headers: bearer(secret),
  });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toMatch(/event: power/);
  return reader;
}

/** Whether the stream ends within `ms` (events keep arriving every second while it is open). */
async function endsWithin(reader: ReadableStreamDefaultReader<Uint8Array>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const next = await Promise.race([
      reader.read(),
      delay(deadline - Date.now()).then(() => 'open' as const),
    ]);
    if (next === 'open') break;
    if (next.done) return true;
  }
  void reader.cancel().catch(() => undefined);
  return false;
}

// Unref'd: a race's losing timer must not keep jest waiting after the suite.
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());

/** The close event, or 'open' if the socket is still open after `ms`. */
const closedWithin = (ws: WsConnection, ms: number): Promise<Closed | 'open'> =>
  Promise.race([ws.closed, delay(ms).then(() => 'open' as const)]);

async function subscribedSocket(url: string, secret: string): Promise<WsConnection> {
  const ws = connectWs(url, bearer(secret));
  await ws.connected;
  const sub = ws.subscribe(SUBSCRIPTION);
  await pollUntil('a first power event', async () => (sub.events.length ? true : undefined), {
    timeoutMs: 10_000,
  });
  return ws;
}

describe('key lifecycle: every long-lived channel ends with the grant it was opened under (production)', () => {
  const OLD = 'kc_leaked_secret_a41f';
  const NEW = 'kc_rotated_secret_c93b';
  const KEEP = 'kc_kept_secret_77d2';
  const DROP = 'kc_dropped_secret_5be0';
  const BRIEF = 'kc_brief_secret_e6a8';
  let api: RunningApp;
  let file: string;
  const sockets: WsConnection[] = [];

  beforeAll(async () => {
    file = newKeysFile({ name: 'rotating', secret: OLD });
    api = await startApp(productionEnv(file));
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.dispose()));
    await api?.app.close();
  });

  it('closes the sockets (4401) and ends the SSE streams opened with a secret rotated under the same name', async () => {
    const ws = await subscribedSocket(api.url, OLD);
    sockets.push(ws);
    const sse = await openSse(api.url, OLD);

    // Same name, role and scope; only the secret changes (the leaked one is rotated out).
    writeKeys(file, entries({ name: 'rotating', secret: NEW }));
    await untilStatus(api.url, NEW, 200);
    expect(await graphqlStatus(api.url, OLD)).toBe(401);
    expect(await closedWithin(ws, 5_000)).toEqual({ code: 4401, reason: 'API key revoked' });
    expect(await endsWithin(sse, 5_000)).toBe(true);
  });

  it("ends an SSE stream at its key's expiresAt, as the key's graphql-ws socket is closed 4401", async () => {
    const expiresAt = new Date(Date.now() + 6_000);
    writeKeys(
      file,
      entries(
        { name: 'rotating', secret: NEW },
        { name: 'brief', secret: BRIEF, expiresAt: expiresAt.toISOString() },
      ),
    );
    await untilStatus(api.url, BRIEF, 200);
    const ws = await subscribedSocket(api.url, BRIEF);
    sockets.push(ws);
    const sse = await openSse(api.url, BRIEF);

    expect(await endsWithin(sse, expiresAt.getTime() - Date.now() + 5_000)).toBe(true);
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt.getTime() - 50);
    expect(await closedWithin(ws, 1_000)).toEqual({ code: 4401, reason: 'API key expired' });
    expect(await graphqlStatus(api.url, BRIEF)).toBe(401);
  });

  it('revokes the keys an invalid file edit no longer lists (or lists with another hash), and keeps the others', async () => {
    writeKeys(
      file,
      entries(
        { name: 'kept', secret: KEEP },
        { name: 'dropped', secret: DROP },
        { name: 'rotating', secret: NEW },
      ),
    );
    await untilStatus(api.url, DROP, 200);
    const ws = await subscribedSocket(api.url, DROP);
    sockets.push(ws);
    const sse = await openSse(api.url, DROP);

    // Invalid as a whole (a bad role on 'kept'), so it is not applied; but it no longer lists 'dropped' and lists
    // 'rotating' with another hash: neither may keep working because the edit that revoked them had a typo elsewhere.
    writeKeys(file, [
      { name: 'kept', sha256: sha256(KEEP), role: 'superuser' },
      { name: 'rotating', sha256: sha256('kc_third_secret_0000'), role: 'partner' },
    ]);
    await untilStatus(api.url, DROP, 401);
    expect(await closedWithin(ws, 5_000)).toEqual({ code: 4401, reason: 'API key revoked' });
    expect(await endsWithin(sse, 5_000)).toBe(true);
    expect(await graphqlStatus(api.url, NEW)).toBe(401);
    // The key whose own entry is broken stays as it was; a half-written file revokes nothing.
    expect(await graphqlStatus(api.url, KEEP)).toBe(200);
    writeKeys(file, '[{"name": "kept", "sha256": ');
    await delay(2_500);
    expect(await graphqlStatus(api.url, KEEP)).toBe(200);
  });
});

interface Answer {
  readonly status: number;
  readonly retryAfter?: string;
  readonly body: string;
}

/**
 * One HTTP request from a chosen loopback source address (127.0.0.0/8 all reaches the API on 127.0.0.1), so each test
 * is its own "client address" for per-address throttling.
 */
function fromAddress(
  localAddress: string,
  url: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}${path}`,
      {
        method: body ? 'POST' : 'GET',
        localAddress,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'] as string | undefined,
            body: text,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const graphqlFrom = (localAddress: string, url: string, headers: Record<string, string>) =>
  fromAddress(localAddress, url, '/graphql', headers, JSON.stringify({ query: '{ system { version } }' }));

const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

/** A graphql-ws connection from a chosen source address; resolves with how its connection_init was answered. */
async function wsInitFrom(
  localAddress: string,
  url: string,
  params: Record<string, unknown>,
): Promise<'acknowledged' | Closed> {
  class FromAddress extends WebSocket {
    constructor(address: string | URL | null, protocols?: string | string[]) {
      super(address!, protocols, { localAddress });
    }
  }
  // graphql-ws constructs it as new (url, subprotocol); ws's own type also admits an options object there.
  const ws = connectWs(url, params, FromAddress as unknown as typeof WebSocket);
  const outcome = await Promise.race([ws.connected.then(() => 'acknowledged' as const), ws.closed]);
  await ws.dispose();
  return outcome;
}

describe('failed-authentication throttling and per-key caps (production, one replica)', () => {
  const PARTNER = 'kc_capped_partner_2f61';
  const ADMIN = 'kc_capped_admin_9a0c';
  const USER = 'seed-admin';
  const PASSWORD = 'seed-password-77aa';
  const FAILURES = 3;
  let api: RunningApp;
  const sockets: WsConnection[] = [];

  beforeAll(async () => {
    const file = newKeysFile(
      { name: 'capped-partner', secret: PARTNER },
      { name: 'capped-admin', secret: ADMIN, role: 'admin' },
    );
    api = await startApp(
      productionEnv(file, {
        API_AUTH_USERNAME: USER,
        API_AUTH_PASSWORD: PASSWORD,
        AUTH_FAILURES_PER_MINUTE: String(FAILURES),
        MAX_CONNECTIONS_PER_KEY: '2',
        MAX_EXPORTS_PER_KEY: '1',
      }),
    );
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.dispose()));
    await api?.app.close();
  });

  it('answers 429 with Retry-After once an address has failed AUTH_FAILURES_PER_MINUTE times, even to the right password', async () => {
    for (let i = 0; i < FAILURES; i++)
      expect((await graphqlFrom('127.0.0.2', api.url, basic(USER, `guess-${i}`))).status).toBe(401);
    const refused = await graphqlFrom('127.0.0.2', api.url, basic(USER, PASSWORD));
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(JSON.parse(refused.body)).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
    // REST routes and graphql-ws refuse the address too (one count across transports).
    const rest = await fromAddress('127.0.0.2', api.url, '/api/v1/monitoring/stream/power', bearer(ADMIN));
    expect([rest.status, JSON.parse(rest.body).code]).toEqual([429, 'RATE_LIMITED']);
    expect(await wsInitFrom('127.0.0.2', api.url, bearer(PARTNER))).toMatchObject({ code: 4429 });
    // The Basic user name is throttled from every address; a key from another address is not.
    expect((await graphqlFrom('127.0.0.3', api.url, basic(USER, PASSWORD))).status).toBe(429);
    expect((await graphqlFrom('127.0.0.3', api.url, bearer(ADMIN))).status).toBe(200);
  });

  it('closes graphql-ws with 4429 after too many failed connection_init from one address', async () => {
    for (let i = 0; i < FAILURES; i++)
      expect(await wsInitFrom('127.0.0.4', api.url, bearer(`kc_wrong_${i}`))).toMatchObject({ code: 4401 });
    const refused = await wsInitFrom('127.0.0.4', api.url, bearer(PARTNER));
    expect(refused).toMatchObject({ code: 4429 });
    expect((refused as Closed).reason).toMatch(/too many failed authentications; retry after \d+ s/);
    expect(await wsInitFrom('127.0.0.5', api.url, bearer(PARTNER))).toBe('acknowledged');
  });

  it('caps graphql-ws connections plus SSE streams per key (MAX_CONNECTIONS_PER_KEY), freeing a slot when one closes', async () => {
    const first = connectWs(api.url, bearer(PARTNER));
    sockets.push(first);
    await first.connected;
    const sse = await openSse(api.url, PARTNER);
    const third = connectWs(api.url, bearer(PARTNER));
    sockets.push(third);
    expect(await closedWithin(third, 5_000)).toMatchObject({
      code: 4429,
      reason: expect.stringContaining('MAX_CONNECTIONS_PER_KEY'),
    });
    const refusedSse = await fetch(`${api.url}/api/v1/monitoring/stream/power`, { headers: bearer(PARTNER) });
    expect(refusedSse.status).toBe(429);
    expect((await refusedSse.json()).message).toMatch(/MAX_CONNECTIONS_PER_KEY/);
    // Another key is not affected.
    expect(await wsInitFrom('127.0.0.1', api.url, bearer(ADMIN))).toBe('acknowledged');

    await first.dispose();
    await sse.cancel();
    await pollUntil(
      'a freed slot',
      async () =>
        (await wsInitFrom('127.0.0.1', api.url, bearer(PARTNER))) === 'acknowledged' ? true : undefined,
      {
        timeoutMs: 5_000,
      },
    );
  });

  it('caps concurrent exports per key (MAX_EXPORTS_PER_KEY) with 429, and frees the slot when the client goes away', async () => {
    const path = '/api/v1/export/power?format=csv&period=7d&step=60';
    const slow = await fetch(`${api.url}${path}`, { headers: bearer(ADMIN) });
    expect(slow.status).toBe(200);
    const reader = slow.body!.getReader();
    await reader.read(); // started; the rest waits on this reader (back-pressure keeps the export running)

    const refused = await fetch(`${api.url}${path}`, { headers: bearer(ADMIN) });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('MAX_EXPORTS_PER_KEY'),
    });
    // Per key: the partner's export is not refused because of the admin's.
    expect(
      (await fetch(`${api.url}/api/v1/export/power?format=csv&period=1h`, { headers: bearer(PARTNER) }))
        .status,
    ).toBe(200);

    await reader.cancel();
    await pollUntil(
      'the export slot to be released',
      async () => {
        const res = await fetch(`${api.url}/api/v1/export/power?format=csv&period=1h`, {
          headers: bearer(ADMIN),
        });
        await res.arrayBuffer();
        return res.status === 200 ? true : undefined;
      },
      { timeoutMs: 10_000 },
    );
  });

  it('bounds list-valued filter inputs: a uuids list of 1,001 is refused with BAD_USER_INPUT, 1,000 is accepted', async () => {
    const ws = connectWs(api.url, bearer(PARTNER));
    sockets.push(ws);
    await ws.connected;
    const query =
      'subscription ($f: GpuScoreChangedFilterInput) { gpuScoreChanged(filter: $f) { __typename } }';
    const uuids = (n: number) => Array.from({ length: n }, (_, i) => `GPU-${i}`);
    // A refused subscribe resolver answers one result with errors (or an error message), then completes.
    const outcome = async (sub: ReturnType<WsConnection['subscribe']>, waitMs: number) =>
      JSON.stringify(
        await Promise.race([
          sub.failure,
          sub.done.then(() => sub.events),
          delay(waitMs).then(() => 'accepted'),
        ]),
      );
    const tooLong = ws.subscribe(query, { f: { uuids: uuids(1_001) } });
    expect(await outcome(tooLong, 5_000)).toMatch(/BAD_USER_INPUT/);
    const atLimit = ws.subscribe(query, { f: { uuids: uuids(1_000) } });
    expect(await outcome(atLimit, 1_500)).toBe('"accepted"');
    atLimit.stop();
    await ws.dispose();
  });
});

describe('limits shared by two replicas through Redis (production)', () => {
  const PARTNER = 'kc_shared_partner_c0de';
  const FAILURES = 3;
  let redis: RunningRedis;
  let client: Redis;
  let a: RunningApp;
  let b: RunningApp;
  const sockets: WsConnection[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
    const file = newKeysFile({ name: 'shared-partner', secret: PARTNER });
    const env = productionEnv(file, {
      REDIS_URL: redis.url,
      MAX_SUBSCRIPTIONS_PER_KEY: '2',
      AUTH_FAILURES_PER_MINUTE: String(FAILURES),
    });
    [a, b] = [await startApp(env), await startApp(env)];
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.dispose()));
    await Promise.all([a?.app.close(), b?.app.close()]);
    client?.disconnect();
    await redis?.stop();
  });

  const socketTo = async (api: RunningApp) => {
    const ws = connectWs(api.url, bearer(PARTNER));
    sockets.push(ws);
    await ws.connected;
    return ws;
  };

  /** Subscribes and resolves with 'admitted' at the first event, or the error code the subscription was refused with. */
  async function subscribeOutcome(ws: WsConnection): Promise<string> {
    const sub = ws.subscribe(SUBSCRIPTION);
    let refusedWith: string | undefined;
    const refused = sub.failure.then((e) => {
      const errors = e as readonly { extensions?: { code?: string } }[];
      return (refusedWith = String(errors?.[0]?.extensions?.code ?? JSON.stringify(e)));
    });
    // A refused subscription never gets an event: its poll stops at the refusal.
    const firstEvent = pollUntil(
      'a first event or a refusal',
      async () => (sub.events.length ? 'admitted' : refusedWith),
      {
        timeoutMs: 10_000,
        intervalMs: 50,
      },
    );
    return Promise.race([firstEvent, refused]);
  }

  it('counts one MAX_SUBSCRIPTIONS_PER_KEY across replicas, and frees the slots of a connection that closes', async () => {
    const onA = await socketTo(a);
    expect(await subscribeOutcome(onA)).toBe('admitted');
    expect(await subscribeOutcome(onA)).toBe('admitted');
    const onB = await socketTo(b);
    // Per replica, B would hold none of the key's two subscriptions and admit this one.
    expect(await subscribeOutcome(onB)).toBe('RATE_LIMITED');

    await onA.dispose();
    await pollUntil(
      'a slot freed on the other replica',
      async () => ((await subscribeOutcome(onB)) === 'admitted' ? true : undefined),
      {
        timeoutMs: 10_000,
      },
    );
  });

  it("ignores the count of a replica that stopped refreshing it (crashed) once its entry's lifetime is over", async () => {
    const onB = await socketTo(b);
    const [seconds, micros] = await client.time();
    const lapsesAt = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) + 3_000;
    // What a replica that died holding one subscription leaves behind: its last count, valid for a short while.
    await client.hset('kcloud:subscriptions:shared-partner', 'crashed-replica', `1:${lapsesAt}`);
    expect(await subscribeOutcome(onB)).toBe('RATE_LIMITED');
    await pollUntil(
      'the crashed replica count to lapse',
      async () => ((await subscribeOutcome(onB)) === 'admitted' ? true : undefined),
      {
        timeoutMs: 10_000,
        intervalMs: 500,
      },
    );
    expect(Date.now()).toBeGreaterThanOrEqual(lapsesAt - 100);
    expect(await client.hexists('kcloud:subscriptions:shared-partner', 'crashed-replica')).toBe(0);
  });

  it("counts an SSE stream as a subscription under the same cross-replica cap (429 while the key's slots are taken)", async () => {
    // The two earlier tests left the key's two subscriptions open on replica B.
    const refused = await fetch(`${a.url}/api/v1/monitoring/stream/power`, { headers: bearer(PARTNER) });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: 'RATE_LIMITED', limit: 'MAX_SUBSCRIPTIONS_PER_KEY' });
    await Promise.all(sockets.splice(0).map((s) => s.dispose()));
    const sse = await pollUntil(
      'an SSE stream admitted once the subscriptions are gone',
      async () => {
        const res = await fetch(`${a.url}/api/v1/monitoring/stream/power?intervalSeconds=1`, {
          headers: bearer(PARTNER),
        });
        if (res.status === 200) return res.body!.getReader();
        await res.arrayBuffer();
        return undefined;
      },
      { timeoutMs: 10_000, intervalMs: 500 },
    );
    // ... and while it streams on A, it holds one of the two slots: B admits one operation, not two.
    const onB = await socketTo(b);
    expect(await subscribeOutcome(onB)).toBe('admitted');
    expect(await subscribeOutcome(onB)).toBe('RATE_LIMITED');
    await sse.cancel();
  });

  it('refuses an address on a replica it has not failed on yet once the shared count of failures is over the limit', async () => {
    for (let i = 0; i < FAILURES; i++)
      expect((await graphqlFrom('127.0.0.6', a.url, bearer(`kc_wrong_${i}`))).status).toBe(401);
    expect((await graphqlFrom('127.0.0.6', a.url, bearer(PARTNER))).status).toBe(429);
    // B evaluates one attempt (it has not counted any failure of this address), learns the shared count, then refuses.
    expect((await graphqlFrom('127.0.0.6', b.url, bearer('kc_wrong_b'))).status).toBe(401);
    const refused = await graphqlFrom('127.0.0.6', b.url, bearer(PARTNER));
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
  });
});
