export { PrometheusClientModule } from './prometheus-client.module';
export { ClusterRegistry, type RequestListener } from './cluster-registry.service';
export { ClusterProber } from './cluster-prober.service';
export {
  ClusterCircuit,
  DEFAULT_CIRCUIT,
  type CircuitSettings,
  type CircuitStateName,
} from './client/cluster-circuit';
export type { ClusterInfo, ClusterStatus, FanOutOptions, FanOutResult } from './cluster-info';
export {
  PrometheusClient,
  DEFAULT_MAX_RESPONSE_BYTES,
  MAX_POINTS_PER_SERIES,
  type InstantOptions,
  type PrometheusClientOptions,
  type PrometheusEndpoint,
  type PrometheusRequestEvent,
  type RangeOptions,
} from './client/prometheus-client';
export type { InstantSample, RangePoint, RangeSeries } from './client/api-response';
export {
  PrometheusCancelledError,
  PrometheusCircuitOpenError,
  PrometheusQueryError,
  PrometheusResponseTooLargeError,
  PrometheusTimeoutError,
  PrometheusUnavailableError,
  type PrometheusError,
} from './client/prometheus-errors';
export {
  CIRCUIT_STATE_VALUE,
  PROMETHEUS_QUERY_DURATION,
  PROMETHEUS_REQUESTS,
  UPSTREAM_CIRCUIT_STATE,
  UPSTREAM_UP,
} from './prometheus.metrics';
export * from './promql';
