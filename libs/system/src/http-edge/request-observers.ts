import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type Params, PARAMS_PROVIDER_TOKEN, PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { type Options, pinoHttp } from 'pino-http';
import { ApiMetricsMiddleware } from '../api-metrics/api-metrics.middleware';
import { newRequestId, REQUEST_ID_HEADER } from '../logging/request-id';

/** Attaches the access log to a request; returns the response headers it gives it when it did not set them itself. */
type AccessLog = (req: IncomingMessage, res: ServerResponse) => readonly string[] | undefined;

/**
 * The per-request work of the app's global middleware that a response sent outside Express must still get (the
 * response cache's hits served at the HTTP server): the X-Request-Id and the access line (pino-http with the logging
 * module's own parameters, on its root logger, so the line is the same line), and the API request metrics (the same
 * middleware class over the same counters). Set up on first use: the logging module makes its root logger while the
 * app initialises.
 */
@Injectable()
export class RequestObservers {
  private accessLog?: AccessLog;

  constructor(
    @Inject(PARAMS_PROVIDER_TOKEN) private readonly params: Params,
    private readonly metrics: ApiMetricsMiddleware,
  ) {}

  /**
   * Attaches the observers to one request, before its response is written; the response must end with a status of
   * the class it has now (a hit's 200, or 304). Returns the headers to write with the response (flat name/value list),
   * or undefined when they are already set on `res`.
   */
  observe(req: IncomingMessage, res: ServerResponse): readonly string[] | undefined {
    this.accessLog ??= this.createAccessLog();
    const headers = this.accessLog(req, res);
    this.metrics.use(req as Request, res as Response, () => undefined);
    return headers;
  }

  private createAccessLog(): AccessLog {
    const options = this.params.pinoHttp;
    if (!options || Array.isArray(options) || 'write' in options)
      throw new Error('RequestObservers: the logging module is expected to pass pino-http options');
    const middleware = pinoHttp({ ...options, logger: PinoLogger.root });
    const levelOf = lineLevelOf(options, middleware.logger);
    return (req, res) => {
      // pino-http makes two child loggers per request before it knows whether its line will be written (one binds the
      // whole request: serialised and redacted), and nothing reads them on a hit. When the level of this response's
      // line is off (LOG_LEVEL above it), the request id is all that is left to give it: the same id, the same header.
      if (middleware.logger.isLevelEnabled(levelOf(req, res))) {
        middleware(req, res);
        return undefined;
      }
      const id = newRequestId(req);
      (req as IncomingMessage & { id?: unknown }).id = id;
      return [REQUEST_ID_HEADER, id];
    };
  }
}

/**
 * The level pino-http gives the access line of a response that ends, without error, with the status it has now: the
 * custom level when it names one the logger knows (or silent), else `useLevel`, else info — pino-http's own rule.
 */
function lineLevelOf(
  options: Options,
  logger: Logger,
): (req: IncomingMessage, res: ServerResponse) => string {
  const fallback = options.useLevel ?? 'info';
  const custom = options.customLogLevel;
  if (!custom) return () => fallback;
  return (req, res) => {
    const level = custom(req, res, undefined);
    return level === 'silent' || logger.levels.values[level] !== undefined ? level : fallback;
  };
}
