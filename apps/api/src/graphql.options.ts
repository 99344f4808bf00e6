import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { AuthModule, GraphqlAccess } from '@kcloud/auth';
import { AppConfig, formatGraphQLError, partialErrorsPlugin } from '@kcloud/common';
import { RealtimeModule, SubscriptionMetrics, withSubscriptionMetrics } from '@kcloud/realtime';

/**
 * Code-first Apollo with graphql-ws on the same path. The schema is built in memory (`autoSchemaFile: true`);
 * `npm run schema` writes the committed schema.graphql and a test fails when it drifts.
 * No landing page: Apollo's and Nest's both load from a CDN, which this product must not depend on.
 */
export const graphqlModule = GraphQLModule.forRootAsync<ApolloDriverConfig>({
  driver: ApolloDriver,
  imports: [AuthModule, RealtimeModule],
  inject: [AppConfig, GraphqlAccess, SubscriptionMetrics],
  useFactory: (config: AppConfig, access: GraphqlAccess, metrics: SubscriptionMetrics): ApolloDriverConfig => ({
    autoSchemaFile: true,
    sortSchema: true,
    path: '/graphql',
    playground: false,
    introspection: config.graphql.introspection,
    // Authentication happens in connection_init (ws) and in the context factory (HTTP), before anything executes.
    // The realtime gauges wrap the auth hooks: a connection counts only once onConnect accepted it.
    subscriptions: {
      'graphql-ws': { path: '/graphql', ...access.wsHooks(), ...withSubscriptionMetrics(metrics, access.wsHooks()) },
    },
    context: (ctx: unknown) => access.context(ctx),
    formatError: formatGraphQLError,
    // Stack traces describe the server's internals to whoever sent the request; logs are the place for them.
    includeStacktraceInErrorResponses: false,
    plugins: [partialErrorsPlugin()],
  }),
});
