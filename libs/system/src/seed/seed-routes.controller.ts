import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@kcloud/common';
import { SystemService } from '../system.service';
import { APP_VERSION } from '../version';

/** The revision baked into the image (Dockerfile build argument), as kcloud_build_info carries it. */
const revision = (): string => process.env.KCLOUD_REVISION || 'unknown';

/**
 * The URLs the seeds' users already call, answered in the shapes their clients read. Open like the probes (every
 * route here carries states and versions only, never tenant data): seed 002's `GET /health` (its Kubernetes liveness
 * and readiness probe), seed 004's `GET /api/healthz` (its Docker health check) and seed 001's
 * `GET /api/v1/system/version` (seed 001: system endpoints need no authentication).
 */
@ApiTags('system')
@Public()
@Controller()
export class SeedRoutesController {
  constructor(private readonly system: SystemService) {}

  /**
   * Seed 002's probe: `{status, prometheus_connected, …}`. Always 200 while the process serves, because that seed
   * used it as a liveness probe too: restarting the API cannot bring a Prometheus back. Readiness that follows the
   * clusters is `/health/ready`.
   */
  @Get('health')
  @ApiOperation({
    summary: "Seed 002's probe: always 200 while serving; status and prometheus_connected in the body",
  })
  @HttpCode(200)
  async health() {
    const report = await this.system.report();
    return {
      status: report.status,
      prometheus_connected: report.dataSource === 'prometheus' && report.status !== 'unhealthy',
      data_source: report.dataSource,
      version: report.version,
      uptime_seconds: report.uptimeSeconds,
      timestamp: report.timestamp,
    };
  }

  /**
   * Seed 004's envelope `{success, message, data: {status, timestamp, version}}`; 503 when no cluster answers, so a
   * `wget --spider` health check fails exactly when the seed's did (no Prometheus reachable).
   */
  @Get('api/healthz')
  @ApiOperation({ summary: "Seed 004's health check: {success, message, data}; 503 when no cluster answers" })
  @HttpCode(200)
  async healthz(@Res({ passthrough: true }) res: Response) {
    const report = await this.system.report();
    const ok = report.status !== 'unhealthy';
    if (!ok) res.status(503);
    return {
      success: ok,
      message: ok ? 'Service is healthy' : 'Service is unhealthy: no cluster answers',
      data: { status: report.status, timestamp: report.timestamp, version: report.version },
    };
  }

  /** Seed 001's version information. */
  @Get('api/v1/system/version')
  @ApiOperation({ summary: "Seed 001's version information" })
  version() {
    return { name: 'kcloud-monitor', version: APP_VERSION, revision: revision(), apiVersion: 'v1' };
  }
}
