import { DomainError, ErrorCode } from '@kcloud/common';

/** Prometheus answered `status:"error"` (bad_data, execution, …) or refused the request with a 4xx. Not retried. */
export class PrometheusQueryError extends DomainError {
  constructor(
    readonly cluster: string,
    readonly errorType: string,
    readonly error: string,
  ) {
    super(ErrorCode.UPSTREAM_ERROR, `Prometheus of cluster '${cluster}' rejected the request (${errorType}): ${error}`, { cluster, errorType });
    this.name = 'PrometheusQueryError';
  }
}

/** The endpoint could not be reached, or kept answering 5xx after the retries. */
export class PrometheusUnavailableError extends DomainError {
  constructor(
    readonly cluster: string,
    reason: string,
  ) {
    super(ErrorCode.CLUSTER_UNAVAILABLE, `Prometheus of cluster '${cluster}' is unavailable: ${reason}`, { cluster });
    this.name = 'PrometheusUnavailableError';
  }
}

/** No answer within the per-request budget (ours, or Prometheus' own query timeout). Never retried. */
export class PrometheusTimeoutError extends DomainError {
  constructor(
    readonly cluster: string,
    readonly timeoutMs: number,
  ) {
    super(ErrorCode.UPSTREAM_TIMEOUT, `Prometheus of cluster '${cluster}' did not answer within ${timeoutMs} ms`, { cluster });
    this.name = 'PrometheusTimeoutError';
  }
}

export type PrometheusError = PrometheusQueryError | PrometheusUnavailableError | PrometheusTimeoutError;
