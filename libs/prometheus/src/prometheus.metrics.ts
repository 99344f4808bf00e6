import { makeCounterProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { LATENCY_BUCKETS_SECONDS } from '@kcloud/common';

export const PROMETHEUS_QUERY_DURATION = 'prometheus_query_duration_seconds';
export const PROMETHEUS_REQUESTS = 'prometheus_requests_total';
export const PROMETHEUS_METRIC_LABELS = ['cluster', 'endpoint', 'outcome'] as const;

/**
 * One duration histogram and one request counter per (cluster, endpoint, outcome), as node_exporter does per
 * collector. willsoto's providers reuse a metric already in prom-client's default registry, so this works both under
 * the app's `PrometheusModule.register()` and in a TestingModule that imports only PrometheusClientModule.
 */
export const prometheusMetricProviders = [
  makeHistogramProvider({
    name: PROMETHEUS_QUERY_DURATION,
    help: 'Duration of Prometheus HTTP API requests (retries included), by cluster, endpoint and outcome',
    labelNames: [...PROMETHEUS_METRIC_LABELS],
    buckets: [...LATENCY_BUCKETS_SECONDS],
  }),
  makeCounterProvider({
    name: PROMETHEUS_REQUESTS,
    help: 'Prometheus HTTP API requests, by cluster, endpoint and outcome',
    labelNames: [...PROMETHEUS_METRIC_LABELS],
  }),
];
