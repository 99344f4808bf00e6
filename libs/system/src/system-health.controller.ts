import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '@kcloud/common';
import { SystemService } from './system.service';

/**
 * The seed-compatible detailed health endpoint: per-cluster status, circuit and latency, 503 when nothing answers;
 * answered from the states the background prober keeps (no probe on this path). Open like
 * the probes; a route added to this controller is open too, so it must carry states only.
 */
@Public()
@Controller('api/v1/system')
export class SystemHealthController {
  constructor(private readonly system: SystemService) {}

  @Get('health')
  @HttpCode(200)
  async health(@Res({ passthrough: true }) res: Response) {
    const report = await this.system.report();
    if (report.status === 'unhealthy') res.status(503);
    return {
      ...report,
      // Cluster URLs and upstream error texts stay out of this open endpoint; names and states are enough.
      clusters: report.clusters.map(({ cluster, status, circuit, latencyMs, lastSuccessAt }) => ({
        cluster,
        status,
        circuit: circuit ?? null,
        latencyMs: latencyMs ?? null,
        lastSuccessAt: lastSuccessAt?.toISOString() ?? null,
      })),
    };
  }
}
