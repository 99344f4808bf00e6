import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { SOURCE_STATUS, type SourceStatus } from '@kcloud/metrics-source';
import { ClusterProber, ClusterRegistry } from '@kcloud/prometheus';
import { GracefulShutdown } from '@kcloud/realtime';

/**
 * Ready when the simulated source serves, or when at least one Prometheus cluster answered its last probe or query.
 * Answers from the states the background prober records (never a probe on the probe's path), so a cluster that
 * accepts connections and never answers costs readiness nothing. Not ready once the process drains. Starts the prober.
 */
@Injectable()
export class MetricSourceHealthIndicator implements OnApplicationBootstrap {
  constructor(
    @Inject(SOURCE_STATUS) private readonly source: SourceStatus,
    private readonly registry: ClusterRegistry,
    private readonly prober: ClusterProber,
    private readonly indicator: HealthIndicatorService,
    private readonly shutdown: GracefulShutdown,
  ) {}

  onApplicationBootstrap(): void {
    if (this.source.kind === 'prometheus') this.prober.start();
  }

  /** The first probe round has ended or run out of its budget (always true for the simulated source). */
  get started(): boolean {
    return this.source.kind !== 'prometheus' || this.prober.started;
  }

  isReady(key = 'metrics'): HealthIndicatorResult {
    const check = this.indicator.check(key);
    // First on SIGTERM: the endpoints controller stops sending traffic while in-flight requests finish.
    if (this.shutdown.draining) return check.down({ draining: true });
    if (this.source.kind !== 'prometheus') return check.up({ dataSource: this.source.kind });
    const clusters = this.registry.list();
    const up = clusters.filter((c) => c.status === 'up').length;
    const open = clusters.filter((c) => c.circuit !== 'CLOSED').length;
    const details = {
      dataSource: this.source.kind,
      clustersUp: up,
      clustersTotal: clusters.length,
      circuitsOpen: open,
      starting: !this.prober.started,
    };
    return up > 0 ? check.up(details) : check.down(details);
  }

  isStarted(key = 'startup'): HealthIndicatorResult {
    const check = this.indicator.check(key);
    return this.started ? check.up() : check.down({ starting: true });
  }
}
