import { makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { LATENCY_BUCKETS_SECONDS } from '@kcloud/common';

export const PROMETHEUS_QUERY_DURATION = 'prometheus_query_duration_seconds';
export const PROMETHEUS_REQUESTS = 'prometheus_requests_total';
export const PROMETHEUS_METRIC_LABELS = ['cluster', 'endpoint', 'outcome'] as const;
export const UPSTREAM_CIRCUIT_STATE = 'kcloud_upstream_circuit_state';
export const UPSTREAM_UP = 'kcloud_upstream_up';
/** The gauge's value per circuit state. */
export const CIRCUIT_STATE_VALUE = { CLOSED: 0, OPEN: 1, HALF_OPEN: 2 } as const;

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
  makeGaugeProvider({
    name: UPSTREAM_CIRCUIT_STATE,
    help: "State of a cluster's circuit breaker: 0 closed, 1 open (requests refused at once), 2 half-open (probing)",
    labelNames: ['cluster'],
  }),
  makeGaugeProvider({
    name: UPSTREAM_UP,
    help: "1 when the cluster's Prometheus answered its last probe or query, 0 when down or not probed yet",
    labelNames: ['cluster'],
  }),
];
