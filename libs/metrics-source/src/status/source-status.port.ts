import type { DataSourceKind } from '../shared/data-source';

/** Which adapter serves the data, its clusters and their health (clusters, system, readiness). */
export const SOURCE_STATUS = Symbol('SOURCE_STATUS');

export interface ClusterHealth {
  readonly cluster: string;
  readonly status: 'up' | 'down' | 'unknown';
  /** The cluster's circuit breaker (Prometheus clusters); absent where there is none (the simulated fleet). */
  readonly circuit?: 'CLOSED' | 'OPEN' | 'HALF_OPEN';
  readonly latencyMs?: number;
  readonly lastSuccessAt?: Date;
  readonly error?: string;
}

export interface SourceStatus {
  readonly kind: DataSourceKind;
  /** Names of the clusters this source serves. */
  clusterNames(): readonly string[];
  /** Probes every cluster now (bounded by each cluster's timeout) and reports its state. */
  health(): Promise<readonly ClusterHealth[]>;
}
