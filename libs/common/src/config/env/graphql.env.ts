import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { toBool } from './env-parsers';

/** Schema discovery: introspection and the GraphiQL page default to on, except with NODE_ENV=production. */
export class GraphqlEnv {
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  GRAPHQL_INTROSPECTION?: boolean;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  GRAPHIQL?: boolean;
}
