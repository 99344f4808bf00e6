import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '@kcloud/common';
import { MetricSourceHealthIndicator } from './metric-source.health';

/** Kubernetes probes: liveness checks the process only, readiness checks what serving needs. Open: states only. */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly metrics: MetricSourceHealthIndicator,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.metrics.isReady()]);
  }
}
