import { Controller } from '@nestjs/common';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import { MetricsEndpoint } from '@kcloud/common';

/**
 * `/metrics` (the path is set by PrometheusModule.register): prom-client's registry, served by the library's handler.
 * Subclassed only to carry `@MetricsEndpoint()`, so the access guard recognises the route itself, not a path string.
 */
@Controller()
@MetricsEndpoint()
export class MetricsController extends PrometheusController {}
