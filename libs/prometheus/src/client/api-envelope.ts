import {
  PrometheusQueryError,
  PrometheusTimeoutError,
  PrometheusUnavailableError,
} from './prometheus-errors';
import { mark } from './retryable';

interface ApiEnvelope {
  readonly status?: unknown;
  readonly data?: unknown;
  readonly errorType?: unknown;
  readonly error?: unknown;
}

/** Status code + body → `data`, or the typed error (retryable for 5xx, except Prometheus' own query timeout). */
export function unwrapEnvelope(cluster: string, timeoutMs: number, status: number, body: unknown): unknown {
  const envelope = parseEnvelope(body);
  if (status >= 200 && status < 300 && envelope?.status === 'success') return envelope.data;
  const errorType = typeof envelope?.errorType === 'string' ? envelope.errorType : `http_${status}`;
  const error = typeof envelope?.error === 'string' ? envelope.error : `HTTP ${status}`;
  if (errorType === 'timeout') throw new PrometheusTimeoutError(cluster, timeoutMs);
  if (status >= 300 && status < 400)
    throw new PrometheusQueryError(cluster, 'redirect', `HTTP ${status}: redirects are not followed`);
  if (status >= 500)
    throw mark(new PrometheusUnavailableError(cluster, `${error} (${errorType})`, `HTTP ${status}`));
  if (status >= 200 && status < 300 && !envelope)
    throw new PrometheusQueryError(cluster, 'bad_response', 'the answer is not Prometheus API JSON');
  throw new PrometheusQueryError(cluster, errorType, error);
}

function parseEnvelope(body: unknown): ApiEnvelope | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as ApiEnvelope) : undefined;
  } catch {
    return undefined;
  }
}
