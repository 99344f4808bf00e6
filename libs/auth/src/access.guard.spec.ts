import { Sse } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { plainToInstance } from 'class-transformer';
import { DomainError, EnvSchema, MetricsEndpoint, type Principal, Public, Roles } from '@kcloud/common';
import { AccessGuard } from './access.guard';
import { RequestAdmission } from './admission.service';
import { sha256Hex } from './api-key';
import { buildAuthSettings } from './auth-settings';
import { Authenticator } from './authenticator';
import { RateLimiter } from './rate-limiter.service';

class Handlers {
  read(): void {}
  @Sse() live(): void {}
  @Roles('partner') partnerOnly(): void {}
  @Public() probe(): void {}
}

/** What the route marks look like on real controllers: on the class (MetricsController, HealthController). */
@MetricsEndpoint()
class MetricsRoute {
  index(): void {}
}

@Public()
class ProbeRoute {
  ready(): void {}
}

const KEYS = JSON.stringify([
  { name: 'ops', sha256: sha256Hex('admin-key'), role: 'admin' },
  {
    name: 'team-a',
    sha256: sha256Hex('partner-key'),
    role: 'partner',
    namespaces: ['team-a'],
    rateLimitPerMinute: 2,
  },
  { name: 'west', sha256: sha256Hex('viewer-key'), role: 'viewer', clusters: ['west'] },
]);

function makeGuard(vars: Record<string, string> = {}) {
  const settings = buildAuthSettings(
    plainToInstance(
      EnvSchema,
      { API_KEYS: KEYS, METRICS_TOKEN: 'scrape', ...vars },
      { exposeDefaultValues: true },
    ),
  );
  const storage = new ThrottlerStorageService();
  const admission = new RequestAdmission(new Authenticator(settings), new RateLimiter(storage));
  const guard = new AccessGuard(new Reflector(), admission, settings);
  return { guard, close: () => storage.onApplicationShutdown() };
}

interface FakeRequest {
  path: string;
  method: string;
  headers: Record<string, string>;
  socket: { remoteAddress?: string };
  principal?: Principal;
}

interface FakeHttp {
  req: FakeRequest;
  headers: Record<string, unknown>;
}

type Route = { controller: new () => object; handler: string };
const route = (controller: new () => object, handler: string): Route => ({ controller, handler });
const handlerRoute = (handler: keyof Handlers): Route => route(Handlers, handler);

function http(
  method: string,
  path: string,
  headers: Record<string, string>,
  handler: keyof Handlers | Route = 'read',
  remoteAddress = '192.0.2.7',
) {
  const fake: FakeHttp = { req: { path, method, headers, socket: { remoteAddress } }, headers: {} };
  const res = { setHeader: (k: string, v: unknown) => (fake.headers[k] = v) };
  const { controller, handler: name } = typeof handler === 'string' ? handlerRoute(handler) : handler;
  const method_ = (controller.prototype as Record<string, () => void>)[name];
  const ctx = new ExecutionContextHost([fake.req, res, () => undefined], controller as never, method_);
  return { ctx, fake };
}

function graphql(
  op: 'query' | 'mutation' | 'subscription',
  principal: Principal | undefined,
  handler: keyof Handlers = 'read',
  transport: Record<string, unknown> = {},
) {
  const info = { fieldName: 'field', operation: { operation: op } };
  const ctx = new ExecutionContextHost(
    [{}, {}, { principal, ...transport }, info],
    Handlers,
    Handlers.prototype[handler],
  );
  ctx.setType('graphql');
  return ctx;
}

async function codeOf(run: Promise<unknown>): Promise<string> {
  try {
    await run;
    return 'allowed';
  } catch (e) {
    return e instanceof DomainError ? e.code : String(e);
  }
}

const partner: Principal = { name: 'team-a', role: 'partner', scope: { namespaces: ['team-a'] } };
const viewer: Principal = { name: 'west', role: 'viewer', scope: { clusters: ['west'] } };
const admin: Principal = { name: 'ops', role: 'admin', scope: {} };

describe('AccessGuard over HTTP', () => {
  const { guard, close } = makeGuard();
  afterAll(close);

  it.each([
    ['an open probe without credentials', 'allowed', 'GET', '/health/ready', {}, route(ProbeRoute, 'ready')],
    ['an open probe by another spelling', 'allowed', 'GET', '/HEALTH/ready/', {}, route(ProbeRoute, 'ready')],
    // Open because of the route's mark, not its path: an unmarked handler under /health/ needs credentials.
    ['an unmarked route under /health/', 'UNAUTHENTICATED', 'GET', '/health/details', {}, 'read'],
    [
      'an unmarked route at the detailed-health path',
      'UNAUTHENTICATED',
      'GET',
      '/api/v1/system/health',
      {},
      'read',
    ],
    ['an export without credentials', 'UNAUTHENTICATED', 'GET', '/api/v1/export/gpus', {}, 'read'],
    [
      'an export with a wrong key',
      'UNAUTHENTICATED',
      'GET',
      '/api/v1/export/gpus',
      { authorization: 'Bearer nope' },
      'read',
    ],
    [
      'an export with the viewer key',
      'allowed',
      'GET',
      '/api/v1/export/gpus',
      { 'x-api-key': 'viewer-key' },
      'read',
    ],
    [
      'an SSE stream for a viewer',
      'FORBIDDEN',
      'GET',
      '/api/v1/stream',
      { 'x-api-key': 'viewer-key' },
      'live',
    ],
    [
      'an SSE stream for a partner',
      'allowed',
      'GET',
      '/api/v1/stream',
      { 'x-api-key': 'partner-key' },
      'live',
    ],
    ['a POST by a viewer', 'FORBIDDEN', 'POST', '/api/v1/clusters', { 'x-api-key': 'viewer-key' }, 'read'],
    ['a POST by an admin', 'allowed', 'POST', '/api/v1/clusters', { 'x-api-key': 'admin-key' }, 'read'],
  ] as [string, string, string, string, Record<string, string>, keyof Handlers | Route][])(
    '%s → %s',
    async (_name, expected, method, path, headers, handler) => {
      expect(await codeOf(guard.canActivate(http(method, path, headers, handler).ctx))).toBe(expected);
    },
  );

  // Express 5 routes these spellings to the /metrics handler (case-insensitive, non-strict): same answer for all.
  describe.each(['/metrics', '/metrics/', '/METRICS', '/Metrics', '/metrics?x=1', '/mEtRiCs/'])(
    'the metrics route reached as %s',
    (path) => {
      const metrics = route(MetricsRoute, 'index');
      it.each([
        ['without its token', 'UNAUTHENTICATED', {}],
        ['with a scoped partner API key', 'UNAUTHENTICATED', { 'x-api-key': 'partner-key' }],
        ['with an admin API key', 'UNAUTHENTICATED', { authorization: 'Bearer admin-key' }],
        ['with its token', 'allowed', { authorization: 'Bearer scrape' }],
      ] as [string, string, Record<string, string>][])('%s → %s', async (_name, expected, headers) => {
        expect(await codeOf(guard.canActivate(http('GET', path, headers, metrics).ctx))).toBe(expected);
      });
    },
  );

  it('applies the role rules to a handler whatever path string reached it (the path decides nothing)', async () => {
    expect(
      await codeOf(guard.canActivate(http('GET', '/metrics', { 'x-api-key': 'viewer-key' }, 'read').ctx)),
    ).toBe('allowed');
    expect(await codeOf(guard.canActivate(http('GET', '/metrics', {}, 'read').ctx))).toBe('UNAUTHENTICATED');
  });

  it('sets req.principal with the key scope, so @CurrentScope sees it', async () => {
    const { ctx, fake } = http('GET', '/api/v1/export/gpus', { authorization: 'Bearer partner-key' });
    await guard.canActivate(ctx);
    expect(fake.req.principal).toEqual(partner);
  });

  it('asks for credentials with WWW-Authenticate on a 401', async () => {
    const { ctx, fake } = http('GET', '/api/v1/export/gpus', {});
    await codeOf(guard.canActivate(ctx));
    expect(fake.headers['WWW-Authenticate']).toMatch(/^Bearer/);
  });

  it('honours @Public() and @Roles() on the handler', async () => {
    expect(await codeOf(guard.canActivate(http('GET', '/x', {}, 'probe').ctx))).toBe('allowed');
    expect(
      await codeOf(guard.canActivate(http('GET', '/x', { 'x-api-key': 'viewer-key' }, 'partnerOnly').ctx)),
    ).toBe('FORBIDDEN');
  });

  it("answers RATE_LIMITED with Retry-After once a key's budget is spent", async () => {
    const { guard: limited, close: done } = makeGuard();
    const hit = () => http('GET', '/api/v1/export/gpus', { 'x-api-key': 'partner-key' });
    expect(await codeOf(limited.canActivate(hit().ctx))).toBe('allowed');
    expect(await codeOf(limited.canActivate(hit().ctx))).toBe('allowed');
    const third = hit();
    expect(await codeOf(limited.canActivate(third.ctx))).toBe('RATE_LIMITED');
    expect(third.fake.headers['Retry-After']).toBeGreaterThan(0);
    // Another key has its own budget.
    expect(await codeOf(limited.canActivate(http('GET', '/x', { 'x-api-key': 'admin-key' }).ctx))).toBe(
      'allowed',
    );
    done();
  });
});

describe('AccessGuard over GraphQL', () => {
  const { guard, close } = makeGuard();
  afterAll(close);

  it.each([
    ['viewer', 'query', 'allowed', viewer],
    ['viewer', 'subscription', 'FORBIDDEN', viewer],
    ['viewer', 'mutation', 'FORBIDDEN', viewer],
    ['partner', 'query', 'allowed', partner],
    ['partner', 'subscription', 'allowed', partner],
    ['partner', 'mutation', 'FORBIDDEN', partner],
    ['admin', 'mutation', 'allowed', admin],
  ] as const)('%s runs a %s → %s', async (_name, op, expected, principal) => {
    expect(await codeOf(guard.canActivate(graphql(op, principal)))).toBe(expected);
  });

  it('lets @Roles open a mutation to partners', async () => {
    expect(await codeOf(guard.canActivate(graphql('mutation', partner, 'partnerOnly')))).toBe('allowed');
  });

  it('refuses a context without a principal', async () => {
    expect(await codeOf(guard.canActivate(graphql('query', undefined)))).toBe('UNAUTHENTICATED');
  });
});

describe('AccessGuard without credentials configured (development)', () => {
  const { guard, close } = makeGuard({ API_KEYS: '', METRICS_TOKEN: '' });
  afterAll(close);
  const LOOPBACK = '127.0.0.1';
  /** A graphql-ws context from this machine, opened by a page of `origin`. */
  const overGraphqlWs = (origin: string) => ({
    extra: { request: { headers: { origin, host: 'localhost:3000' }, socket: { remoteAddress: LOOPBACK } } },
  });
  const LAN = '192.0.2.7';
  const anonymous: Principal = { name: 'anonymous', role: 'admin', scope: {} };

  it('lets anonymous callers on this machine through as admin, with no rate limit', async () => {
    const { ctx, fake } = http('POST', '/api/v1/clusters', {}, 'read', LOOPBACK);
    expect(await codeOf(guard.canActivate(ctx))).toBe('allowed');
    expect(fake.req.principal?.role).toBe('admin');
    expect(fake.headers['X-RateLimit-Limit']).toBeUndefined();
  });

  it.each([
    ['a REST read from the LAN', 'allowed', 'GET', {}, LAN],
    ['a REST change from the LAN', 'FORBIDDEN', 'POST', {}, LAN],
    [
      'a REST change from a foreign page through a local browser',
      'FORBIDDEN',
      'POST',
      { origin: 'https://evil.example' },
      LOOPBACK,
    ],
    ['a REST read from a foreign page', 'FORBIDDEN', 'GET', { origin: 'https://evil.example' }, LOOPBACK],
    ['a REST change from a local page', 'allowed', 'POST', { origin: 'http://localhost:5173' }, LOOPBACK],
    [
      'a REST change relayed by a local proxy',
      'FORBIDDEN',
      'POST',
      { 'x-forwarded-for': '203.0.113.9' },
      LOOPBACK,
    ],
  ] as [string, string, string, Record<string, string>, string][])(
    '%s → %s',
    async (_name, expected, method, headers, address) => {
      expect(
        await codeOf(guard.canActivate(http(method, '/api/v1/clusters', headers, 'read', address).ctx)),
      ).toBe(expected);
    },
  );

  it.each([
    [
      'a query over HTTP from the LAN',
      'query',
      'allowed',
      { req: { headers: {}, socket: { remoteAddress: LAN } } },
    ],
    [
      'a mutation over HTTP from the LAN',
      'mutation',
      'FORBIDDEN',
      { req: { headers: {}, socket: { remoteAddress: LAN } } },
    ],
    [
      'a mutation over HTTP from this machine',
      'mutation',
      'allowed',
      { req: { headers: {}, socket: { remoteAddress: LOOPBACK } } },
    ],
    [
      'a subscription over graphql-ws from a foreign page (no CORS on WebSockets)',
      'subscription',
      'FORBIDDEN',
      overGraphqlWs('https://evil.example'),
    ],
    [
      'a mutation over graphql-ws from GraphiQL on this machine',
      'mutation',
      'allowed',
      overGraphqlWs('http://localhost:3000'),
    ],
    ['a mutation with no transport to tell where it came from', 'mutation', 'FORBIDDEN', {}],
  ] as [string, 'query' | 'mutation' | 'subscription', string, Record<string, unknown>][])(
    '%s → %s',
    async (_name, op, expected, transport) => {
      expect(await codeOf(guard.canActivate(graphql(op, anonymous, 'read', transport)))).toBe(expected);
    },
  );

  it('serves the LAN as before once AUTH_MODE=off says so explicitly', async () => {
    const { guard: off, close: done } = makeGuard({ API_KEYS: '', METRICS_TOKEN: '', AUTH_MODE: 'off' });
    expect(await codeOf(off.canActivate(http('POST', '/api/v1/clusters', {}, 'read', LAN).ctx))).toBe(
      'allowed',
    );
    done();
  });
});
