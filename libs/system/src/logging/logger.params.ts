import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { type Level, type LoggerOptions, stdTimeFunctions } from 'pino';
import type { Options as HttpOptions } from 'pino-http';
import { type AppConfig, type Principal, redactSecrets, redactUrl } from '@kcloud/common';
import { requestIdOf } from './request-id';

/** Nest's levels onto pino's (`log` is pino's `info`, `verbose` its `trace`). */
export const PINO_LEVELS: Readonly<Record<AppConfig['server']['logLevel'], Level>> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/**
 * Defence in depth: the serializers below never copy a header, but a library logging a request object, or a
 * graphql-ws context, must not leak a credential either.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers.cookie',
  'connectionParams',
  '*.connectionParams',
];

type LoggedRequest = IncomingMessage & {
  readonly id?: string;
  readonly principal?: Principal;
  readonly originalUrl?: string;
  readonly baseUrl?: string;
  readonly route?: { readonly path?: string };
};

/** How LOG_FORMAT resolves: pretty needs the dev dependency pino-pretty, absent from a production install. */
export interface LogFormat {
  readonly requested: 'json' | 'pretty';
  readonly pretty: boolean;
}

export function logFormatOf(config: AppConfig, resolve: (id: string) => string = require.resolve): LogFormat {
  const requested = config.env.LOG_FORMAT ?? 'json';
  if (requested !== 'pretty') return { requested, pretty: false };
  try {
    resolve('pino-pretty');
    return { requested, pretty: true };
  } catch {
    return { requested, pretty: false };
  }
}

/** The access-log fields of one HTTP request: never a header, never a credential in the path's query. */
export function accessFields(
  req: LoggedRequest,
  res: ServerResponse,
  durationMs: number,
): Record<string, unknown> {
  // Unmatched paths reach only the catch-all of the middleware chain: no route.
  const pattern = req.route?.path === '/*path' ? undefined : req.route?.path;
  const path = (req.originalUrl ?? req.url ?? '').slice(0, 2048);
  // Apollo is mounted as middleware: its requests carry the catch-all of whatever matched last, not a route.
  const graphql = path.split('?')[0] === '/graphql';
  return {
    method: req.method,
    route: graphql ? '/graphql' : pattern ? `${req.baseUrl ?? ''}${pattern}` : null,
    path: redactUrl(`http://x${path.startsWith('/') ? '' : '/'}${path}`).slice('http://x'.length),
    status: res.statusCode,
    durationMs,
    key: req.principal?.name ?? null,
    role: req.principal?.role ?? null,
    remoteAddress: req.socket?.remoteAddress,
    userAgent:
      typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'].slice(0, 200) : undefined,
  };
}

/** nestjs-pino's parameters: JSON lines (or pino-pretty), request ids, one access line per request, no secrets. */
export function loggerParams(config: AppConfig, format: LogFormat = logFormatOf(config)): Params {
  const base: LoggerOptions = {
    level: PINO_LEVELS[config.server.logLevel],
    redact: { paths: REDACT_PATHS, censor: '***' },
    base: { service: 'kcloud-monitor' },
    timestamp: stdTimeFunctions.isoTime,
    // Free-text messages can quote a URL with credentials or an upstream answer; the same redaction as errors get.
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? redactSecrets(a) : a)) as Parameters<typeof method>,
        );
      },
    },
    ...(format.pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
  };
  const http: HttpOptions = {
    ...base,
    genReqId: requestIdOf,
    customAttributeKeys: { reqId: 'requestId' },
    // Lines logged during the request carry only the request id; the access line carries the rest.
    quietReqLogger: true,
    quietResLogger: true,
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    customSuccessMessage: (req, res) =>
      `${req.method} ${(req as LoggedRequest).originalUrl?.split('?')[0] ?? ''} ${res.statusCode}`,
    customErrorMessage: (req, res) =>
      `${req.method} ${(req as LoggedRequest).originalUrl?.split('?')[0] ?? ''} ${res.statusCode}`,
    customSuccessObject: (req, res, val: { responseTime?: number }) => ({
      access: accessFields(req as LoggedRequest, res, val.responseTime ?? 0),
    }),
    customErrorObject: (req, res, err: Error, val: { responseTime?: number }) => ({
      access: accessFields(req as LoggedRequest, res, val.responseTime ?? 0),
      err: { type: err.name, message: redactSecrets(err.message) },
    }),
  };
  return {
    pinoHttp: http,
    // Express 5 path syntax (Nest warns about the bare `*` nestjs-pino uses by default); the string form, like the
    // other global middleware, so Express gets `app.use` and no catch-all route.
    forRoutes: ['*path'],
  };
}
