import type { FleetModel } from '@kcloud/fleet-model';
import type { ClusterHealth, SourceStatus } from './source-status.port';

/** The simulated fleet's clusters: always up, answered in-process. */
export class SimulatedSourceStatus implements SourceStatus {
  readonly kind = 'simulated' as const;

  constructor(
    private readonly model: FleetModel,
    private readonly now: () => number = Date.now,
  ) {}

  clusterNames(): readonly string[] {
    return this.model.clusters();
  }

  async health(): Promise<readonly ClusterHealth[]> {
    const at = new Date(this.now());
    return this.model
      .clusters()
      .map((cluster) => ({ cluster, status: 'up' as const, latencyMs: 0, lastSuccessAt: at }));
  }
}
