import { type ApolloServerPlugin, type GraphQLRequestListener, HeaderMap } from '@apollo/server';
import { principalOfContext, type Principal } from '@kcloud/common';
import type { ResponseCache } from './response-cache';

type Context = Record<string, unknown> & { principal?: Principal; req?: { principal?: Principal } };

export const RESPONSE_CACHE_HEADER = 'x-response-cache';

/**
 * Serves repeated queries from the ResponseCache. It answers in `responseForOperation`, which Apollo calls after
 * every plugin's `didResolveOperation`: admission (context factory) and the query-limits charge have already run, so
 * a cached answer is rate-limited and charged like an executed one. Only queries are cached, only answers without
 * errors (a partial result carries its errors, so it is never stored); a mutation invalidates everything.
 */
export function responseCachePlugin(cache: ResponseCache): ApolloServerPlugin<Context> {
  return {
    async requestDidStart(): Promise<GraphQLRequestListener<Context>> {
      if (!cache.enabled) return {};
      let key: string | undefined;
      let hit = false;
      return {
        async responseForOperation({ operation, document, queryHash, request, contextValue }) {
          if (operation.operation !== 'query') return null;
          key = cache.keyOf({
            document,
            queryHash,
            operationName: request.operationName,
            variables: request.variables,
            principal: principalOfContext(contextValue),
          });
          const stored = await cache.get(key);
          if (!stored) return null;
          hit = true;
          const headers = new HeaderMap([[RESPONSE_CACHE_HEADER, 'hit']]);
          return { body: { kind: 'single', singleResult: { data: stored.data } }, http: { status: undefined, headers } };
        },
        async willSendResponse({ operation, response, errors }) {
          if (operation?.operation === 'mutation') cache.mutated();
          if (!key || hit || errors?.length || response.body.kind !== 'single') return;
          const { data, errors: resultErrors } = response.body.singleResult;
          if (resultErrors?.length || !data || (response.http.status ?? 200) !== 200) return;
          response.http.headers.set(RESPONSE_CACHE_HEADER, 'miss');
          await cache.set(key, { data });
        },
      };
    },
  };
}
