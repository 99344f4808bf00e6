import type { AppConfig } from '@kcloud/common';
import type { ClusterRegistry } from '@kcloud/prometheus';
import type { ClusterHealth, SourceStatus } from './source-status.port';

/** The configured Prometheus clusters and the states the background prober keeps fresh. */
export class PrometheusSourceStatus implements SourceStatus {
  readonly kind = 'prometheus' as const;

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly config: AppConfig,
  ) {}

  clusterNames(): readonly string[] {
    return this.registry.names();
  }

  /** At once from the prober's states; only clusters never probed yet are probed now. */
  async health(): Promise<readonly ClusterHealth[]> {
    return (await this.registry.health(this.config.env.HEALTH_PROBE_TIMEOUT_MS)).map((c) => ({
      cluster: c.name,
      status: c.status,
      circuit: c.circuit,
      latencyMs: c.latencyMs,
      lastSuccessAt: c.lastSuccessAt,
      error: c.lastError,
    }));
  }
}
