import type { ClusterConfig, TenantLabelMode } from '@kcloud/common';
import { type ClusterInfo, type ClusterStatus, meansDown, publicUrl, toClusterFailure } from './cluster-info';
import type { ClusterCircuit } from './client/cluster-circuit';
import type { PrometheusClient } from './client/prometheus-client';
import {
  PrometheusCancelledError,
  PrometheusCircuitOpenError,
  PrometheusTimeoutError,
  PrometheusUnavailableError,
} from './client/prometheus-errors';

/** One registered cluster as the registry holds it: its client, circuit and the health last seen. */
export interface Entry {
  readonly config: ClusterConfig;
  readonly client: PrometheusClient;
  readonly circuit: ClusterCircuit;
  status: ClusterStatus;
  latencyMs?: number;
  lastSuccessAt?: Date;
  /** This cluster's last transport failure, in words that quote no query (every tenant reads it). */
  lastError?: string;
}

export function markEntryUp(entry: Entry, latencyMs: number, now: Date): void {
  entry.status = 'up';
  entry.latencyMs = Math.round(latencyMs * 10) / 10;
  entry.lastSuccessAt = now;
  entry.lastError = undefined;
}

/**
 * Only failures that say something about the cluster itself (unreachable, 5xx, no answer in time) change its
 * shared state, and in words of our own: a rejected query, an oversize answer or a cancelled caller belong to that
 * caller, and Prometheus' error text may quote another tenant's query, labels or namespace. Returns whether the
 * entry is now down.
 */
export function markEntryFailed(entry: Entry, error: unknown): boolean {
  if (error instanceof PrometheusCancelledError) return false;
  const failure = toClusterFailure(entry.config.name, error);
  if (!meansDown(failure)) return false;
  entry.status = 'down';
  // A refusal by the open circuit says nothing new: the failure that opened it stays the cluster's last error.
  if (!(error instanceof PrometheusCircuitOpenError) || !entry.lastError)
    entry.lastError = publicFailure(error);
  return true;
}

/** What any tenant may read about the entry; `defaultTenantLabels` is DCGM_TENANT_LABELS. */
export function entryInfo(e: Entry, defaultTenantLabels: TenantLabelMode): ClusterInfo {
  const { config } = e;
  return {
    name: config.name,
    url: publicUrl(config.url),
    labels: { ...config.labels },
    status: e.status,
    circuit: e.circuit.state,
    latencyMs: e.latencyMs,
    lastSuccessAt: e.lastSuccessAt,
    lastError: e.lastError,
    tenantLabels: config.tenantLabels ?? defaultTenantLabels,
    clusterLabelValue: config.clusterLabelValue,
  };
}

function publicFailure(error: unknown): string {
  if (error instanceof PrometheusCircuitOpenError) return 'unavailable (circuit open)';
  if (error instanceof PrometheusUnavailableError) return `unavailable (${error.publicReason})`;
  if (error instanceof PrometheusTimeoutError) return `no answer within ${error.timeoutMs} ms`;
  return 'unavailable';
}
