import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type Params, PARAMS_PROVIDER_TOKEN, PinoLogger } from 'nestjs-pino';
import { pinoHttp } from 'pino-http';
import { ApiMetricsMiddleware } from '../api-metrics/api-metrics.middleware';

type Observer = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The per-request work of the app's global middleware that a response sent outside Express must still get (the
 * response cache's hits served at the HTTP server): the X-Request-Id and the access line (pino-http with the logging
 * module's own parameters, on its root logger, so the line is the same line), and the API request metrics (the same
 * middleware class over the same counters). Set up on first use: the logging module makes its root logger while the
 * app initialises.
 */
@Injectable()
export class RequestObservers {
  private accessLog?: Observer;

  constructor(
    @Inject(PARAMS_PROVIDER_TOKEN) private readonly params: Params,
    private readonly metrics: ApiMetricsMiddleware,
  ) {}

  /** Attaches the observers to one request, before its response is written. */
  observe(req: IncomingMessage, res: ServerResponse): void {
    this.accessLog ??= this.createAccessLog();
    this.accessLog(req, res);
    this.metrics.use(req as Request, res as Response, () => undefined);
  }

  private createAccessLog(): Observer {
    const options = this.params.pinoHttp;
    if (!options || Array.isArray(options) || 'write' in options)
      throw new Error('RequestObservers: the logging module is expected to pass pino-http options');
    const middleware = pinoHttp({ ...options, logger: PinoLogger.root });
    return (req, res) => middleware(req, res);
  }
}
