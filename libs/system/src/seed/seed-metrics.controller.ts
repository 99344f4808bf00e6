import { Controller } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import { MetricsEndpoint } from '@kcloud/common';

/**
 * Seed 001's `GET /api/v1/system/metrics` ("API metrics, Prometheus format"): the same registry as `/metrics`, so it
 * carries every tenant's series and is guarded exactly like `/metrics` (open, or METRICS_TOKEN; never an API key).
 */
@ApiTags('system')
@ApiProduces('text/plain')
@Controller('api/v1/system/metrics')
@MetricsEndpoint()
export class SeedMetricsController extends PrometheusController {}
