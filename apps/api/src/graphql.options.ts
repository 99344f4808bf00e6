import { GraphQLModule } from '@nestjs/graphql';
import {
  ApolloWsDriver,
  type ApolloWsDriverConfig,
  AUTH_SETTINGS,
  type AuthSettings,
  AuthModule,
  GraphqlAccess,
  securityHeadersOf,
  withoutCacheHints,
} from '@kcloud/auth';
import {
  cachedAnswersBeforeExpress,
  ResponseCache,
  responseCacheHandler,
  responseCachePlugin,
} from '@kcloud/cache';
import { AppConfig, formatGraphQLError, partialErrorsPlugin } from '@kcloud/common';
import {
  GracefulShutdown,
  RealtimeModule,
  SharedSubscriptions,
  SubscriptionMetrics,
  withSubscriptionMetrics,
} from '@kcloud/realtime';
import { RequestObservers, SystemModule } from '@kcloud/system';

/**
 * Code-first Apollo with graphql-ws on the same path. The schema is built in memory (`autoSchemaFile: true`);
 * `npm run schema` writes the committed schema.graphql and a test fails when it drifts.
 * No landing page: Apollo's and Nest's both load from a CDN, which this product must not depend on.
 */
export const graphqlModule = GraphQLModule.forRootAsync<ApolloWsDriverConfig>({
  driver: ApolloWsDriver,
  imports: [AuthModule, RealtimeModule, SystemModule],
  inject: [
    AppConfig,
    GraphqlAccess,
    SubscriptionMetrics,
    AUTH_SETTINGS,
    GracefulShutdown,
    SharedSubscriptions,
    ResponseCache,
    RequestObservers,
  ],
  useFactory: (
    config: AppConfig,
    access: GraphqlAccess,
    metrics: SubscriptionMetrics,
    auth: AuthSettings,
    shutdown: GracefulShutdown,
    shared: SharedSubscriptions,
    responses: ResponseCache,
    observers: RequestObservers,
  ): ApolloWsDriverConfig => ({
    autoSchemaFile: true,
    sortSchema: true,
    path: '/graphql',
    playground: false,
    introspection: config.graphql.introspection,
    // The context factory already refused documents over the token cap; this keeps Apollo's own parse bounded too.
    parseOptions: { maxTokens: auth.maxTokens },
    // Authentication happens in connection_init (ws) and in the context factory (HTTP), before anything executes.
    // The realtime gauges wrap the auth hooks: a connection counts only once onConnect accepted it, and is closed
    // 1001 "server shutting down" on SIGTERM. `subscribe` executes each event once per distinct (document, variables,
    // scope) and shares the result between the sockets holding it.
    subscriptions: {
      'graphql-ws': {
        path: '/graphql',
        ...access.wsHooks(),
        ...withSubscriptionMetrics(metrics, access.wsHooks(), shutdown),
        ...shared.wsOptions(),
      },
    },
    webSocketMaxPayloadBytes: auth.wsMaxPayloadBytes,
    context: (ctx: unknown) => access.context(ctx),
    formatError: formatGraphQLError,
    // Stack traces describe the server's internals to whoever sent the request; logs are the place for them.
    includeStacktraceInErrorResponses: false,
    // The response cache answers after admission and the query-limits charge (see responseCachePlugin); most hits
    // are served before Apollo, admitted and charged the same (responseCacheHandler).
    // A snooze (acknowledgeRecommendation, any partner, often) changes only which recommendations are listed: it
    // invalidates answers that list recommendations, not every tenant's answers.
    // No Apollo cache hints (see withoutCacheHints): Apollo's default cache-control plugin wrapped every field resolver.
    plugins: [
      ...withoutCacheHints(),
      partialErrorsPlugin(),
      responseCachePlugin(responses, { acknowledgeRecommendation: ['ReclaimRecommendation'] }),
    ],
    beforeApollo: responseCacheHandler(responses, access),
    ...beforeExpress(config, auth, access, responses, observers),
  }),
});

/**
 * Most hits are answered at the HTTP server, before Express: authenticated, throttled and charged as above, with the
 * security headers, request id, access line and API metrics the Express chain gives them. With CORS on, the headers
 * depend on the caller's Origin, so hits go through Express (beforeApollo).
 */
function beforeExpress(
  config: AppConfig,
  auth: AuthSettings,
  access: GraphqlAccess,
  responses: ResponseCache,
  observers: RequestObservers,
): Pick<ApolloWsDriverConfig, 'beforeExpress'> {
  const headers = securityHeadersOf(config);
  if (!headers || !responses.enabled) return {};
  return {
    beforeExpress: cachedAnswersBeforeExpress(responses, access, {
      path: '/graphql',
      maxBodyBytes: auth.bodyLimitBytes,
      edge: { headers, observe: (req, res) => observers.observe(req, res) },
    }),
  };
}
