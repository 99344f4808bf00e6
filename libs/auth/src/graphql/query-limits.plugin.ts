import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Inject } from '@nestjs/common';
import { Plugin } from '@nestjs/apollo';
import type { Principal } from '@kcloud/common';
import { AUTH_SETTINGS, type AuthSettings } from '../auth-settings';
import { Authenticator } from '../authenticator';
import { RateLimiter } from '../rate-limiter.service';
import { rateLimitedError, withHttp } from './graphql-errors';
import { checkQueryLimits, queryLimitsOf } from './query-limits';

/**
 * Limits for GraphQL over HTTP, checked after validation and before execution: the document's shape was already
 * bounded by the context factory (before validation), so the complexity walk here is bounded too (400). Then the
 * caller pays the operation's upstream units beyond the one unit admission charged (429 when over budget).
 */
@Plugin()
export class QueryLimitsPlugin implements ApolloServerPlugin<Record<string, unknown>> {
  constructor(
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    private readonly auth: Authenticator,
    private readonly limiter: RateLimiter,
  ) {}

  async requestDidStart(): Promise<GraphQLRequestListener<Record<string, unknown>>> {
    const limits = queryLimitsOf(this.settings);
    return {
      didResolveOperation: async ({ schema, document, request, operationName, contextValue }) => {
        const { error, cost } = checkQueryLimits(schema, document, request.variables, operationName, limits);
        if (error) throw withHttp(error, 400);
        // What the response cache stores with the answer, so a hit served before Apollo is charged the same.
        if (cost) contextValue.upstreamUnits = cost.upstreamUnits;
        const principal = contextValue.principal as Principal | undefined;
        const extra = (cost?.upstreamUnits ?? 0) - 1;
        if (!principal || !this.auth.enforced || extra <= 0) return;
        const decision = await this.limiter.hit(principal.name, this.auth.rateLimitOf(principal.name), extra);
        if (!decision.allowed)
          throw withHttp(rateLimitedError(decision), 429, {
            'Retry-After': String(decision.retryAfterSeconds),
          });
      },
    };
  }
}
