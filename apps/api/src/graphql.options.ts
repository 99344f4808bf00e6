import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { AppConfig, formatGraphQLError, partialErrorsPlugin } from '@kcloud/common';

/**
 * Code-first Apollo with graphql-ws on the same path. The schema is built in memory (`autoSchemaFile: true`);
 * `npm run schema` writes the committed schema.graphql and a test fails when it drifts.
 * No landing page: Apollo's and Nest's both load from a CDN, which this product must not depend on.
 */
export const graphqlModule = GraphQLModule.forRootAsync<ApolloDriverConfig>({
  driver: ApolloDriver,
  inject: [AppConfig],
  useFactory: (config: AppConfig): ApolloDriverConfig => ({
    autoSchemaFile: true,
    sortSchema: true,
    path: '/graphql',
    playground: false,
    introspection: config.graphql.introspection,
    subscriptions: { 'graphql-ws': { path: '/graphql' } },
    context: (ctx: Record<string, unknown>) => ({ ...ctx }),
    formatError: formatGraphQLError,
    plugins: [partialErrorsPlugin()],
  }),
});
