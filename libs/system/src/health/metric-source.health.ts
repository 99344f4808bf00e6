import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { METRIC_SOURCE, type MetricSource } from '@kcloud/metrics-source';

/** Ready when the simulated source serves, or when at least one Prometheus cluster answers its probe. */
@Injectable()
export class MetricSourceHealthIndicator {
  constructor(
    @Inject(METRIC_SOURCE) private readonly source: MetricSource,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async isReady(key = 'metrics'): Promise<HealthIndicatorResult> {
    const check = this.indicator.check(key);
    const clusters = await this.source.health();
    const up = clusters.filter((c) => c.status === 'up').length;
    const details = { dataSource: this.source.kind, clustersUp: up, clustersTotal: clusters.length };
    return up > 0 ? check.up(details) : check.down(details);
  }
}
