import { Injectable, type NestMiddleware } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { NextFunction, Request, Response } from 'express';
import type { Counter, Histogram } from 'prom-client';
import { API_DURATION, API_ERRORS, API_REQUESTS } from './api-metrics.providers';

/** Counts and times every HTTP request. The route label is the matched route pattern, never the raw URL. */
@Injectable()
export class ApiMetricsMiddleware implements NestMiddleware {
  constructor(
    @InjectMetric(API_REQUESTS) private readonly requests: Counter<string>,
    @InjectMetric(API_DURATION) private readonly duration: Histogram<string>,
    @InjectMetric(API_ERRORS) private readonly errors: Counter<string>,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = routeOf(req);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.requests.inc({ method: req.method, route, status: String(res.statusCode) });
      this.duration.observe({ method: req.method, route }, seconds);
      if (res.statusCode >= 400)
        this.errors.inc({
          kind: res.statusCode >= 500 ? 'http_5xx' : 'http_4xx',
          code: String(res.statusCode),
        });
    });
    next();
  }
}

function routeOf(req: Request): string {
  const pattern = (req.route as { path?: string } | undefined)?.path;
  if (pattern) return `${req.baseUrl}${pattern}`;
  // Unmatched paths (404s, the GraphQL endpoint mounted by Apollo) would explode cardinality if taken verbatim.
  return req.originalUrl.split('?')[0] === '/graphql' ? '/graphql' : 'unmatched';
}
