import type { GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { GraphQLError, GraphQLInt, GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from 'graphql';
import { UPSTREAM_EXTENSION } from '@kcloud/common';
import type { AuthSettings } from '../auth-settings';
import type { Authenticator } from '../authenticator';
import type { RateDecision, RateLimiter } from '../rate-limiter.service';
import { QueryLimitsPlugin } from './query-limits.plugin';

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      gpus: { type: GraphQLInt, extensions: { [UPSTREAM_EXTENSION]: {} } },
      version: { type: GraphQLString },
    },
  }),
});

const settings = {
  maxDepth: 12,
  maxComplexity: 100_000,
  maxTokens: 10_000,
  maxAliases: 100,
  maxSelections: 2_000,
} as AuthSettings;

function plugin(allowed = true, enforced = true) {
  const hits: { name: string; limit: number; cost?: number }[] = [];
  const limiter = {
    hit: (name: string, limit: number, cost?: number): Promise<RateDecision> => {
      hits.push({ name, limit, cost });
      return Promise.resolve({ allowed, limit, remaining: 0, retryAfterSeconds: allowed ? 0 : 42 });
    },
  } as RateLimiter;
  const auth = { enforced, rateLimitOf: () => 600 } as unknown as Authenticator;
  return { hits, plugin: new QueryLimitsPlugin(settings, auth, limiter) };
}

async function resolve(p: QueryLimitsPlugin, query: string): Promise<void> {
  const listener = await p.requestDidStart();
  const ctx = {
    schema,
    document: parse(query),
    request: { variables: {} },
    operationName: null,
    contextValue: { principal: { name: 'k', role: 'viewer' } },
  };
  await listener.didResolveOperation!(
    ctx as unknown as GraphQLRequestContextDidResolveOperation<Record<string, unknown>>,
  );
}

describe('QueryLimitsPlugin', () => {
  it('charges the units beyond the one admission already took', async () => {
    const { hits, plugin: p } = plugin();
    await resolve(p, '{ a: gpus b: gpus c: gpus version }');
    expect(hits).toEqual([{ name: 'k', limit: 600, cost: 2 }]);
  });

  it('charges nothing more for an operation of at most one unit', async () => {
    const { hits, plugin: p } = plugin();
    await resolve(p, '{ gpus version }');
    await resolve(p, '{ version }');
    expect(hits).toEqual([]);
  });

  it('refuses with 429 RATE_LIMITED and Retry-After when the units exceed the budget', async () => {
    const { plugin: p } = plugin(false);
    const refusal = resolve(p, '{ a: gpus b: gpus }');
    await expect(refusal).rejects.toMatchObject({
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 42, http: { status: 429 } },
    });
  });

  it('charges nothing when authentication is not enforced', async () => {
    const { hits, plugin: p } = plugin(true, false);
    await resolve(p, '{ a: gpus b: gpus }');
    expect(hits).toEqual([]);
  });

  it('refuses a limit with 400 before charging anything', async () => {
    const { hits, plugin: p } = plugin();
    const aliases = Array.from({ length: 101 }, (_, i) => `g${i}: gpus`).join(' ');
    await expect(resolve(p, `{ ${aliases} }`)).rejects.toBeInstanceOf(GraphQLError);
    expect(hits).toEqual([]);
  });
});
