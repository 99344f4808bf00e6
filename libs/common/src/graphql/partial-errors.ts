import type { ApolloServerPlugin } from '@apollo/server';
import { type GraphQLError } from 'graphql';
import type { ClusterFailure } from '../errors/domain-error';
import { clusterFailureToGraphQLError } from '../errors/to-graphql-error';

/**
 * GraphQL lets a response carry data and errors together; resolvers use that for fan-outs where some clusters
 * failed. They record failures on the request context, and this plugin appends them to the response's errors.
 */
export interface PartialErrorsContext {
  partialErrors?: GraphQLError[];
}

export function reportClusterFailures(
  context: PartialErrorsContext,
  failures: readonly ClusterFailure[],
  path?: readonly (string | number)[],
): void {
  if (!failures.length) return;
  const list = (context.partialErrors ??= []);
  for (const f of failures) {
    // One error per cluster per request is enough, even when several fields hit the same dead cluster.
    if (list.some((e) => e.extensions?.cluster === f.cluster)) continue;
    list.push(clusterFailureToGraphQLError(f, path));
  }
}

export function partialErrorsPlugin(): ApolloServerPlugin<PartialErrorsContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const extra = contextValue.partialErrors;
          if (!extra?.length || response.body.kind !== 'single') return;
          const body = response.body.singleResult;
          body.errors = [...(body.errors ?? []), ...extra.map((e) => e.toJSON())];
        },
      };
    },
  };
}
