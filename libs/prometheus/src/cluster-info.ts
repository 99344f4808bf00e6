import type { CircuitStateName } from './client/cluster-circuit';
import { type ClusterFailure, DomainError, ErrorCode, redactUrl, type TenantLabelMode } from '@kcloud/common';

export type ClusterStatus = 'up' | 'down' | 'unknown';

/** What the registry knows about one cluster; safe to show (the URL carries no credentials). */
export interface ClusterInfo {
  readonly name: string;
  readonly url: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly status: ClusterStatus;
  /** The cluster's circuit breaker: OPEN refuses requests at once (CLUSTER_UNAVAILABLE) until a probe succeeds. */
  readonly circuit: CircuitStateName;
  readonly latencyMs?: number;
  readonly lastSuccessAt?: Date;
  readonly lastError?: string;
  /** The cluster's own setting, else the DCGM_TENANT_LABELS default. */
  readonly tenantLabels: TenantLabelMode;
  /** Set for a cluster served by a global endpoint: its series carry `<CLUSTER_LABEL>="<clusterLabelValue>"`. */
  readonly clusterLabelValue?: string;
}

export interface FanOutResult<T> {
  readonly results: readonly { readonly cluster: string; readonly value: T }[];
  readonly failures: readonly ClusterFailure[];
}

export interface FanOutOptions {
  /** A deadline for the whole per-cluster callback (several requests); each request keeps its own timeout too. */
  readonly timeoutMs?: number;
}

const UPSTREAM_CODES: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.CLUSTER_UNAVAILABLE,
  ErrorCode.UPSTREAM_TIMEOUT,
  ErrorCode.UPSTREAM_ERROR,
]);

/**
 * Errors that are the caller's, not the cluster's (bad input, forbidden…): the same on every cluster, so a fan-out
 * rethrows them instead of reporting N identical "cluster failures".
 */
export function isCallerError(error: unknown): error is DomainError {
  return error instanceof DomainError && !UPSTREAM_CODES.has(error.code);
}

export function toClusterFailure(cluster: string, error: unknown): ClusterFailure {
  if (error instanceof DomainError && UPSTREAM_CODES.has(error.code)) {
    return { cluster, code: error.code as ClusterFailure['code'], message: error.message };
  }
  // An unexpected exception while handling this cluster's answer: reported against the cluster, never swallowed.
  return {
    cluster,
    code: ErrorCode.UPSTREAM_ERROR,
    message: error instanceof Error ? error.message : String(error),
  };
}

/** A 4xx/bad_data answer proves the endpoint is reachable; only transport failures and timeouts mean "down". */
export function meansDown(failure: ClusterFailure): boolean {
  return failure.code !== ErrorCode.UPSTREAM_ERROR;
}

/** The URL without `user:password@` and with credential query parameters blanked, for lists, logs and errors. */
export function publicUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (!url.username && !url.password) return redactUrl(raw);
    url.username = '';
    url.password = '';
    const text = url.toString();
    return redactUrl(raw.endsWith('/') || !text.endsWith('/') ? text : text.slice(0, -1));
  } catch {
    return '<invalid url>';
  }
}
