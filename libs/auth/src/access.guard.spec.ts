import { Sse } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { plainToInstance } from 'class-transformer';
import { DomainError, EnvSchema, type Principal, Public, Roles } from '@kcloud/common';
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

const KEYS = JSON.stringify([
  { name: 'ops', sha256: sha256Hex('admin-key'), role: 'admin' },
  { name: 'team-a', sha256: sha256Hex('partner-key'), role: 'partner', namespaces: ['team-a'], rateLimitPerMinute: 2 },
  { name: 'west', sha256: sha256Hex('viewer-key'), role: 'viewer', clusters: ['west'] },
]);

function makeGuard(vars: Record<string, string> = {}) {
  const settings = buildAuthSettings(
    plainToInstance(EnvSchema, { API_KEYS: KEYS, METRICS_TOKEN: 'scrape', ...vars }, { exposeDefaultValues: true }),
  );
  const storage = new ThrottlerStorageService();
  const admission = new RequestAdmission(new Authenticator(settings), new RateLimiter(storage));
  const guard = new AccessGuard(new Reflector(), admission, settings);
  return { guard, close: () => storage.onApplicationShutdown() };
}

interface FakeHttp {
  req: { path: string; method: string; headers: Record<string, string>; principal?: Principal };
  headers: Record<string, unknown>;
}

function http(method: string, path: string, headers: Record<string, string>, handler: keyof Handlers = 'read') {
  const fake: FakeHttp = { req: { path, method, headers }, headers: {} };
  const res = { setHeader: (k: string, v: unknown) => (fake.headers[k] = v) };
  const ctx = new ExecutionContextHost([fake.req, res, () => undefined], Handlers, Handlers.prototype[handler]);
  return { ctx, fake };
}

function graphql(op: 'query' | 'mutation' | 'subscription', principal: Principal | undefined, handler: keyof Handlers = 'read') {
  const info = { fieldName: 'field', operation: { operation: op } };
  const ctx = new ExecutionContextHost([{}, {}, { principal }, info], Handlers, Handlers.prototype[handler]);
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
    ['an open probe without credentials', 'allowed', 'GET', '/health/ready', {}, 'read'],
    ['the detailed health without credentials', 'allowed', 'GET', '/api/v1/system/health', {}, 'read'],
    ['an export without credentials', 'UNAUTHENTICATED', 'GET', '/api/v1/export/gpus', {}, 'read'],
    ['an export with a wrong key', 'UNAUTHENTICATED', 'GET', '/api/v1/export/gpus', { authorization: 'Bearer nope' }, 'read'],
    ['an export with the viewer key', 'allowed', 'GET', '/api/v1/export/gpus', { 'x-api-key': 'viewer-key' }, 'read'],
    ['an SSE stream for a viewer', 'FORBIDDEN', 'GET', '/api/v1/stream', { 'x-api-key': 'viewer-key' }, 'live'],
    ['an SSE stream for a partner', 'allowed', 'GET', '/api/v1/stream', { 'x-api-key': 'partner-key' }, 'live'],
    ['a POST by a viewer', 'FORBIDDEN', 'POST', '/api/v1/clusters', { 'x-api-key': 'viewer-key' }, 'read'],
    ['a POST by an admin', 'allowed', 'POST', '/api/v1/clusters', { 'x-api-key': 'admin-key' }, 'read'],
    ['/metrics without its token', 'UNAUTHENTICATED', 'GET', '/metrics', {}, 'read'],
    ['/metrics with an admin API key', 'UNAUTHENTICATED', 'GET', '/metrics', { authorization: 'Bearer admin-key' }, 'read'],
    ['/metrics with its token', 'allowed', 'GET', '/metrics', { authorization: 'Bearer scrape' }, 'read'],
  ] as [string, string, string, string, Record<string, string>, keyof Handlers][])('%s → %s', async (_name, expected, method, path, headers, handler) => {
    expect(await codeOf(guard.canActivate(http(method, path, headers, handler).ctx))).toBe(expected);
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
    expect(await codeOf(guard.canActivate(http('GET', '/x', { 'x-api-key': 'viewer-key' }, 'partnerOnly').ctx))).toBe('FORBIDDEN');
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
    expect(await codeOf(limited.canActivate(http('GET', '/x', { 'x-api-key': 'admin-key' }).ctx))).toBe('allowed');
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
  it('lets anonymous callers through as admin, with no rate limit', async () => {
    const settings = buildAuthSettings(plainToInstance(EnvSchema, {}, { exposeDefaultValues: true }));
    const storage = new ThrottlerStorageService();
    const guard = new AccessGuard(new Reflector(), new RequestAdmission(new Authenticator(settings), new RateLimiter(storage)), settings);
    const { ctx, fake } = http('POST', '/api/v1/clusters', {});
    expect(await codeOf(guard.canActivate(ctx))).toBe('allowed');
    expect(fake.req.principal?.role).toBe('admin');
    expect(fake.headers['X-RateLimit-Limit']).toBeUndefined();
    storage.onApplicationShutdown();
  });
});
