import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { MetricsSourceModule } from '@kcloud/metrics-source';
import { ApiMetricsMiddleware } from './api-metrics/api-metrics.middleware';
import { apiMetricProviders } from './api-metrics/api-metrics.providers';
import { GraphQLErrorMetricsPlugin } from './api-metrics/graphql-metrics.plugin';
import { buildInfoProviders } from './build-info.metric';
import { GraphiqlController } from './graphiql/graphiql.controller';
import { HealthController } from './health/health.controller';
import { RequestObservers } from './http-edge/request-observers';
import { MetricSourceHealthIndicator } from './health/metric-source.health';
import { MetricsController } from './metrics/metrics.controller';
import { SeedMetricsController } from './seed/seed-metrics.controller';
import { SeedRoutesController } from './seed/seed-routes.controller';
import { SystemHealthController } from './system-health.controller';
import { SystemResolver } from './system.resolver';
import { SystemService } from './system.service';

/** Probes, version, `/metrics` (default process metrics + the API's own), the `system` query and GraphiQL. */
@Module({
  imports: [
    TerminusModule,
    PrometheusModule.register({
      path: '/metrics',
      controller: MetricsController,
      defaultMetrics: { enabled: true },
    }),
    MetricsSourceModule,
  ],
  controllers: [
    HealthController,
    SystemHealthController,
    GraphiqlController,
    SeedRoutesController,
    SeedMetricsController,
  ],
  providers: [
    ...apiMetricProviders,
    ...buildInfoProviders,
    MetricSourceHealthIndicator,
    SystemService,
    SystemResolver,
    GraphQLErrorMetricsPlugin,
    ApiMetricsMiddleware,
    RequestObservers,
  ],
  exports: [SystemService, RequestObservers],
})
export class SystemModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ApiMetricsMiddleware).forRoutes('*path');
  }
}
