import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '@kcloud/common';
import { MetricSourceHealthIndicator } from './metric-source.health';

/**
 * Kubernetes probes, all answered from memory (no upstream call on a probe's path). Liveness checks the process only;
 * startup turns 200 once the first cluster probe round has ended or run out of its budget; readiness says whether
 * anything can be served (one cluster up is enough). Open: states only.
 */
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

  @Get('startup')
  @HealthCheck()
  startup() {
    return this.health.check([() => this.metrics.isStarted()]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.metrics.isReady()]);
  }
}
