import { makeCounterProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { LATENCY_BUCKETS_SECONDS } from '@kcloud/common';

export const API_REQUESTS = 'api_requests_total';
export const API_DURATION = 'api_request_duration_seconds';
export const API_ERRORS = 'api_errors_total';

export const apiMetricProviders = [
  makeCounterProvider({
    name: API_REQUESTS,
    help: 'HTTP requests served, by method, route and status',
    labelNames: ['method', 'route', 'status'],
  }),
  makeHistogramProvider({
    name: API_DURATION,
    help: 'HTTP request duration in seconds, by method and route',
    labelNames: ['method', 'route'],
    buckets: [...LATENCY_BUCKETS_SECONDS],
  }),
  makeCounterProvider({
    name: API_ERRORS,
    help: 'Failed requests: HTTP 5xx/4xx and GraphQL responses with errors',
    labelNames: ['kind', 'code'],
  }),
];
