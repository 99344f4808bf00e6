import { BoolEnv } from './env-decorators';

/** Schema discovery: introspection and the GraphiQL page default to on, except with NODE_ENV=production. */
export class GraphqlEnv {
  @BoolEnv({ optional: true }) GRAPHQL_INTROSPECTION?: boolean;

  @BoolEnv({ optional: true }) GRAPHIQL?: boolean;
}
