import type { ModuleRef } from '@nestjs/core';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { plainToInstance } from 'class-transformer';
import { buildSchema, type GraphQLError } from 'graphql';
import type { Context } from 'graphql-ws';
import { EnvSchema, KeyQuota } from '@kcloud/common';
import { sha256Hex } from '../api-key';
import { AuthFailureThrottle } from '../auth-failure-throttle';
import { buildAuthSettings } from '../auth-settings';
import { Authenticator } from '../authenticator';
import { RateLimiter } from '../rate-limiter.service';
import { SubscriptionQuota } from './subscription-quota';
import { WsAccess } from './ws-access.service';

const T0 = Date.parse('2026-06-01T00:00:00Z');
const schema = buildSchema(
  'type Query { a: A } type A { b: B } type B { c: String } type Subscription { tick: Int }',
);

function keys(): string {
  return JSON.stringify([
    { name: 'team-a', sha256: sha256Hex('partner-key'), role: 'partner', namespaces: ['team-a'] },
    { name: 'west', sha256: sha256Hex('viewer-key'), role: 'viewer', clusters: ['west'] },
    {
      name: 'short',
      sha256: sha256Hex('short-key'),
      role: 'partner',
      expiresAt: new Date(T0 + 1000).toISOString(),
    },
  ]);
}

function setup(vars: Record<string, string> = {}) {
  const settings = buildAuthSettings(
    plainToInstance(
      EnvSchema,
      { API_KEYS: keys(), MAX_SUBSCRIPTIONS_PER_KEY: '2', GRAPHQL_MAX_DEPTH: '2', ...vars },
      { exposeDefaultValues: true },
    ),
  );
  const storage = new ThrottlerStorageService();
  const moduleRef = { get: () => ({ schema }) } as unknown as ModuleRef;
  const ws = new WsAccess(
    new Authenticator(settings),
    new RateLimiter(storage),
    moduleRef,
    settings,
    new AuthFailureThrottle(storage, settings),
    new KeyQuota(),
    new SubscriptionQuota(settings.maxSubscriptionsPerKey),
  );
  return { ws, close: () => (ws.onModuleDestroy(), storage.onApplicationShutdown()) };
}

type Ctx = Context<Record<string, unknown> | undefined, unknown>;

function connection(connectionParams?: Record<string, unknown>) {
  const closed: [number, string][] = [];
  const ctx = {
    connectionInitReceived: true,
    acknowledged: false,
    subscriptions: {} as Record<string, null>,
    connectionParams,
    extra: { socket: { close: (code: number, reason: string) => closed.push([code, reason]) } },
  } as unknown as Ctx;
  return { ctx, closed };
}

const subscribe = (query = 'subscription { tick }') => ({ query });

describe('WsAccess.onConnect', () => {
  const { ws, close } = setup();
  afterAll(close);

  it.each([
    ['no connectionParams', undefined, 4401],
    ['no authorization', {}, 4401],
    ['a wrong key', { authorization: 'Bearer nope' }, 4401],
    ['a non-string authorization', { authorization: 42 }, 4401],
    ['a viewer key (may not subscribe)', { authorization: 'Bearer viewer-key' }, 4403],
  ])('closes on %s with %d before acknowledging', (_name, params, code) => {
    const { ctx, closed } = connection(params);
    expect(ws.onConnect(ctx)).toBe(false);
    expect(closed[0]?.[0]).toBe(code);
    expect(ws.principalOf(ctx)).toBeUndefined();
  });

  it.each([
    ['authorization', { authorization: 'Bearer partner-key' }],
    ['x-api-key', { 'x-api-key': 'partner-key' }],
  ])('accepts a partner key given as %s and remembers the caller', (_name, params) => {
    const { ctx, closed } = connection(params);
    expect(ws.onConnect(ctx)).toBe(true);
    expect(closed).toEqual([]);
    expect(ws.principalOf(ctx)).toEqual({
      name: 'team-a',
      role: 'partner',
      scope: { namespaces: ['team-a'] },
    });
    ws.onClose(ctx);
    expect(ws.principalOf(ctx)).toBeUndefined();
  });
});

describe('WsAccess key expiry', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  it('closes an open connection with 4401 when its key expires, and refuses the key afterwards', () => {
    const { ws, close } = setup();
    const { ctx, closed } = connection({ authorization: 'Bearer short-key' });
    expect(ws.onConnect(ctx)).toBe(true);
    jest.advanceTimersByTime(999);
    expect(closed).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(closed).toEqual([[4401, 'API key expired']]);
    const again = connection({ authorization: 'Bearer short-key' });
    expect(ws.onConnect(again.ctx)).toBe(false);
    expect(again.closed[0]?.[0]).toBe(4401);
    close();
  });
});

describe('WsAccess.onSubscribe', () => {
  const codes = (errors: readonly GraphQLError[] | void) => (errors ?? []).map((e) => e.extensions.code);

  it('caps concurrent operations per key across connections', async () => {
    const { ws, close } = setup();
    const one = connection({ authorization: 'Bearer partner-key' });
    const two = connection({ authorization: 'Bearer partner-key' });
    ws.onConnect(one.ctx);
    ws.onConnect(two.ctx);
    // graphql-ws registers the id before calling the hook.
    one.ctx.subscriptions['1'] = null;
    expect(await ws.onSubscribe(one.ctx, '1', subscribe())).toBeUndefined();
    two.ctx.subscriptions['1'] = null;
    expect(await ws.onSubscribe(two.ctx, '1', subscribe())).toBeUndefined();
    two.ctx.subscriptions['2'] = null;
    const refused = await ws.onSubscribe(two.ctx, '2', subscribe());
    expect(codes(refused)).toEqual(['RATE_LIMITED']);
    expect(refused![0]?.message).toMatch(/at most 2 concurrent subscriptions per key/);
    close();
  });

  it('applies the depth limit before anything runs', async () => {
    const { ws, close } = setup();
    const { ctx } = connection({ authorization: 'Bearer partner-key' });
    ws.onConnect(ctx);
    const errors = await ws.onSubscribe(ctx, '1', subscribe('{ a { b { c } } }'));
    expect(codes(errors)).toEqual(['BAD_USER_INPUT']);
    expect(errors![0]?.extensions.limit).toBe('GRAPHQL_MAX_DEPTH');
    close();
  });

  it('rate-limits operations per key', async () => {
    const { ws, close } = setup({ RATE_LIMIT_PER_MINUTE: '1', MAX_SUBSCRIPTIONS_PER_KEY: '100' });
    const { ctx } = connection({ authorization: 'Bearer partner-key' });
    ws.onConnect(ctx);
    expect(await ws.onSubscribe(ctx, '1', subscribe())).toBeUndefined();
    expect(codes(await ws.onSubscribe(ctx, '2', subscribe()))).toEqual(['RATE_LIMITED']);
    close();
  });

  it('leaves syntax errors to graphql-ws', async () => {
    const { ws, close } = setup();
    const { ctx } = connection({ authorization: 'Bearer partner-key' });
    ws.onConnect(ctx);
    expect(await ws.onSubscribe(ctx, '1', subscribe('{'))).toBeUndefined();
    close();
  });
});
