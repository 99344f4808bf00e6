import { DomainError, ErrorCode, redactSecrets } from '@kcloud/common';

/** Prometheus answered `status:"error"` (bad_data, execution, …) or refused the request with a 4xx. Not retried. */
export class PrometheusQueryError extends DomainError {
  constructor(
    readonly cluster: string,
    readonly errorType: string,
    readonly error: string,
  ) {
    // Upstream text (a proxy's error page may echo the URL it was called with) never carries credentials out.
    super(
      ErrorCode.UPSTREAM_ERROR,
      redactSecrets(`Prometheus of cluster '${cluster}' rejected the request (${errorType}): ${error}`),
      { cluster, errorType },
    );
    this.name = 'PrometheusQueryError';
  }
}

/** The endpoint could not be reached, or kept answering 5xx after the retries. */
export class PrometheusUnavailableError extends DomainError {
  /**
   * @param reason what went wrong, for this request's caller (may quote the upstream's error text)
   * @param publicReason the same without upstream text (a transport code or an HTTP status), for the cluster's
   *   shared health state that every tenant reads
   */
  constructor(
    readonly cluster: string,
    reason: string,
    readonly publicReason: string = reason,
  ) {
    super(
      ErrorCode.CLUSTER_UNAVAILABLE,
      redactSecrets(`Prometheus of cluster '${cluster}' is unavailable: ${reason}`),
      { cluster },
    );
    this.name = 'PrometheusUnavailableError';
  }
}

/** No answer within the per-request budget (ours, or Prometheus' own query timeout). Never retried. */
export class PrometheusTimeoutError extends DomainError {
  constructor(
    readonly cluster: string,
    readonly timeoutMs: number,
  ) {
    super(
      ErrorCode.UPSTREAM_TIMEOUT,
      `Prometheus of cluster '${cluster}' did not answer within ${timeoutMs} ms`,
      { cluster },
    );
    this.name = 'PrometheusTimeoutError';
  }
}

/** The answer grew past PROMETHEUS_MAX_RESPONSE_BYTES: cut off, never buffered whole. Not retried. */
export class PrometheusResponseTooLargeError extends DomainError {
  constructor(
    readonly cluster: string,
    readonly maxBytes: number,
  ) {
    super(
      ErrorCode.UPSTREAM_ERROR,
      `Prometheus of cluster '${cluster}' answered more than ${maxBytes} bytes (PROMETHEUS_MAX_RESPONSE_BYTES); narrow the request (cluster, namespace, shorter range or larger step)`,
      { cluster, limit: 'PROMETHEUS_MAX_RESPONSE_BYTES' },
    );
    this.name = 'PrometheusResponseTooLargeError';
  }
}

/** The request this call was made for went away (its GraphQL field timed out): the upstream request was aborted. */
export class PrometheusCancelledError extends DomainError {
  constructor(readonly cluster: string) {
    super(
      ErrorCode.UPSTREAM_TIMEOUT,
      `the request to the Prometheus of cluster '${cluster}' was cancelled by its caller`,
      { cluster },
    );
    this.name = 'PrometheusCancelledError';
  }
}

/**
 * The cluster's circuit is open (it failed repeatedly): refused at once, without a request, until a probe finds it
 * answering again. Carries no upstream text.
 */
export class PrometheusCircuitOpenError extends DomainError {
  constructor(readonly cluster: string) {
    super(
      ErrorCode.CLUSTER_UNAVAILABLE,
      `Prometheus of cluster '${cluster}' is unavailable: circuit open after repeated failures`,
      {
        cluster,
        circuit: 'OPEN',
      },
    );
    this.name = 'PrometheusCircuitOpenError';
  }
}

export type PrometheusError =
  | PrometheusQueryError
  | PrometheusUnavailableError
  | PrometheusTimeoutError
  | PrometheusResponseTooLargeError
  | PrometheusCancelledError
  | PrometheusCircuitOpenError;

/**
 * Failures that say something about the cluster itself (unreachable, 5xx after the retries, no answer in time): the
 * ones a circuit breaker counts. A rejected query, an oversize answer or a cancelled caller belong to that caller.
 */
export function countsAgainstCluster(error: unknown): boolean {
  return error instanceof PrometheusUnavailableError || error instanceof PrometheusTimeoutError;
}
