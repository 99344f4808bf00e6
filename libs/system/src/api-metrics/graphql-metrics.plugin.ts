import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { formatGraphQLError } from '@kcloud/common';
import { API_ERRORS } from './api-metrics.providers';

/** GraphQL answers 200 with errors in the body; count those so `api_errors_total` sees them too. */
@Plugin()
export class GraphQLErrorMetricsPlugin implements ApolloServerPlugin {
  constructor(@InjectMetric(API_ERRORS) private readonly errors: Counter<string>) {}

  async requestDidStart(): Promise<GraphQLRequestListener<Record<string, unknown>>> {
    const errors = this.errors;
    return {
      async didEncounterErrors({ errors: list }) {
        for (const e of list) {
          // Label by the code the client will see, i.e. after the same translation formatError applies.
          const code = formatGraphQLError(e.toJSON(), e).extensions?.code ?? 'INTERNAL';
          errors.inc({ kind: 'graphql', code: String(code) });
        }
      },
    };
  }
}
