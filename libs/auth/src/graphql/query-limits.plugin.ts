import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Inject } from '@nestjs/common';
import { Plugin } from '@nestjs/apollo';
import { AUTH_SETTINGS, type AuthSettings } from '../auth-settings';
import { withHttp } from './graphql-errors';
import { checkQueryLimits } from './query-limits';

/** Depth and complexity limits for GraphQL over HTTP, checked after validation and before execution (400). */
@Plugin()
export class QueryLimitsPlugin implements ApolloServerPlugin {
  constructor(@Inject(AUTH_SETTINGS) private readonly settings: AuthSettings) {}

  async requestDidStart(): Promise<GraphQLRequestListener<Record<string, unknown>>> {
    const limits = { maxDepth: this.settings.maxDepth, maxComplexity: this.settings.maxComplexity };
    return {
      async didResolveOperation({ schema, document, request, operationName }) {
        const error = checkQueryLimits(schema, document, request.variables, operationName, limits);
        if (error) throw withHttp(error, 400);
      },
    };
  }
}
