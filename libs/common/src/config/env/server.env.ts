import { Transform } from 'class-transformer';
import { BoolEnv, IntEnv, OneOfEnv } from './env-decorators';

/** The seeds' level names (Python's INFO/WARNING, Go's info) onto Nest's; anything else is left for @IsIn to refuse. */
const LOG_LEVEL_ALIASES: Readonly<Record<string, string>> = {
  info: 'log',
  warning: 'warn',
  trace: 'verbose',
  critical: 'fatal',
};
const toLogLevel = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const lower = value.trim().toLowerCase();
  return LOG_LEVEL_ALIASES[lower] ?? lower;
};

/** The process itself: environment, port, logging, the OpenAPI page. */
export class ServerEnv {
  @OneOfEnv(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IntEnv({ min: 0, max: 65535 }) PORT = 3000;

  /** Nest's levels, or the seeds' spellings (DEBUG, INFO, WARN, WARNING, ERROR), case-insensitive. */
  @OneOfEnv(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  @Transform(toLogLevel)
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  /** `json` (one JSON object per line, the default) or `pretty` (needs the dev dependency pino-pretty). */
  @OneOfEnv(['json', 'pretty'])
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))
  LOG_FORMAT: 'json' | 'pretty' = 'json';

  /** The OpenAPI page `/docs` and `/docs-json`; default on, except with NODE_ENV=production (like GRAPHIQL). */
  @BoolEnv({ optional: true }) OPENAPI?: boolean;
}
