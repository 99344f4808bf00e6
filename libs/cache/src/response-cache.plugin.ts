import { type ApolloServerPlugin, type GraphQLRequestListener, HeaderMap } from '@apollo/server';
import type { GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { principalOfContext, type Principal } from '@kcloud/common';
import { CACHED_ANSWER_VARY, cachedAnswerHeaders, RESPONSE_CACHE_HEADER } from './cached-answer-http';
import type { CachedAnswer, ResponseCache } from './response-cache';

type Context = Record<string, unknown> & {
  principal?: Principal;
  req?: { principal?: Principal };
  res?: { vary?: (field: string) => unknown };
  /** The operation's upstream units, set by the query-limits plugin when it charged them. */
  upstreamUnits?: number;
};

export { RESPONSE_CACHE_HEADER };

/**
 * Stores answers for the ResponseCache and serves the hits that reach Apollo (most are served before it, by
 * responseCacheHandler; persisted-query requests and other media types come here). It answers in
 * `responseForOperation`, which Apollo calls after every plugin's `didResolveOperation`: admission (context factory)
 * and the query-limits charge have already run, so a cached answer is rate-limited and charged like an executed one.
 * Only queries are cached, only answers without errors (a partial result carries its errors, so it is never stored),
 * with the units the query was charged; a mutation invalidates everything, or only the answers selecting the types a
 * narrow mutation is confined to.
 */
export function responseCachePlugin(
  cache: ResponseCache,
  narrowMutations: NarrowMutations = {},
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart(): Promise<GraphQLRequestListener<Context>> {
      if (!cache.enabled) return {};
      let key: string | undefined;
      let hit = false;
      /** This request executes for every identical request that comes while it runs: it must end that. */
      let leads = false;
      return {
        async responseForOperation({ operation, document, request, contextValue, schema }) {
          if (operation.operation !== 'query') return null;
          key = cache.keyOf({
            query: request.query,
            document,
            schema,
            operationName: request.operationName,
            variables: request.variables,
            principal: principalOfContext(contextValue),
          });
          if (!key) return null;
          // A miss executes once per key at a time: identical requests meanwhile take its answer as a hit (they were
          // admitted and charged like an execution above, as a hit is).
          const answer = await cache.answer(key, true);
          leads = answer.leads;
          const stored = answer.entry;
          if (!stored) return null;
          hit = true;
          const headers = new HeaderMap([
            [RESPONSE_CACHE_HEADER, 'hit'],
            ...answerHeaders(cache, stored, contextValue),
          ]);
          const singleResult = JSON.parse(stored.body) as { data: Record<string, unknown> };
          return { body: { kind: 'single', singleResult }, http: { status: undefined, headers } };
        },
        async willSendResponse({ operation, response, errors, contextValue, schema }) {
          if (operation?.operation === 'mutation' && !refusedAsAWhole(response.body))
            cache.mutated(touchedTypes(operation, narrowMutations, schema));
          if (!key || hit) return;
          const body = errors?.length ? undefined : storableBody(response);
          if (body === undefined) {
            if (leads) cache.abandon(key);
            return;
          }
          const entry = await cache.set(key, body, contextValue.upstreamUnits);
          response.http.headers.set(RESPONSE_CACHE_HEADER, 'miss');
          for (const [name, value] of answerHeaders(cache, entry, contextValue))
            response.http.headers.set(name, value);
        },
      };
    },
  };
}

/** Apollo's body of an answer worth storing: a single result with data only, sent 200; undefined for anything else. */
function storableBody(response: {
  body: {
    kind: string;
    singleResult?: { data?: unknown; errors?: readonly unknown[]; extensions?: unknown };
  };
  http: { status?: number };
}): string | undefined {
  if (response.body.kind !== 'single' || !response.body.singleResult) return undefined;
  const { data, errors, extensions } = response.body.singleResult;
  if (errors?.length || extensions || !data || (response.http.status ?? 200) !== 200) return undefined;
  // Apollo's own serialisation of a single result with data only (runHttpQuery's prettyJSONStringify).
  return `${JSON.stringify({ data })}\n`;
}

/**
 * Mutation fields whose changes are confined to the data behind some output types (a partner's snooze changes which
 * ReclaimRecommendation rows are listed, nothing else): such a mutation only invalidates answers that select one of
 * those types. Any other mutation invalidates every answer.
 */
export type NarrowMutations = Readonly<Record<string, readonly string[]>>;

/**
 * The types an operation's mutation fields are confined to; undefined (everything) when any field is not a narrow
 * one, or names a type the schema does not have (a renamed type must not leave its answers stale).
 */
function touchedTypes(
  operation: OperationDefinitionNode,
  narrow: NarrowMutations,
  schema: GraphQLSchema,
): readonly string[] | undefined {
  const types = new Set<string>();
  for (const selection of operation.selectionSet.selections) {
    const confined = selection.kind === 'Field' ? narrow[selection.name.value] : undefined;
    if (!confined || confined.some((type) => !schema.getType(type))) return undefined;
    for (const type of confined) types.add(type);
  }
  return [...types];
}

/** Cache-Control and ETag for Apollo's response; Vary goes on the Express response (merged with CORS' own). */
function answerHeaders(cache: ResponseCache, entry: CachedAnswer, context: Context): [string, string][] {
  if (typeof context.res?.vary === 'function') for (const name of CACHED_ANSWER_VARY) context.res.vary(name);
  return cachedAnswerHeaders(entry, cache.remainingSeconds(entry));
}

/** Codes of a mutation field refused before it changed anything (a role, scope, argument or existence check). */
const REFUSAL_CODES = new Set([
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
]);

/**
 * A mutation whose every field was refused changed nothing, so stored answers stay: otherwise any viewer's FORBIDDEN
 * mutation (or a partner's NOT_FOUND acknowledgement) would flush every tenant's answers on each request. An error
 * below a field (the change may have happened) or any answered field counts as a change.
 */
function refusedAsAWhole(body: {
  kind: string;
  singleResult?: {
    data?: Record<string, unknown> | null;
    errors?: readonly { path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
  };
}): boolean {
  if (body.kind !== 'single' || !body.singleResult) return false;
  const { data, errors } = body.singleResult;
  if (!errors?.length || Object.values(data ?? {}).some((v) => v !== null && v !== undefined)) return false;
  return errors.every((e) => (e.path?.length ?? 0) <= 1 && REFUSAL_CODES.has(String(e.extensions?.code)));
}
