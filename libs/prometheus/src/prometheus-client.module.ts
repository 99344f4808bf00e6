import { Module } from '@nestjs/common';
import { Clock } from '@kcloud/common';
import { ClusterProber } from './cluster-prober.service';
import { ClusterRegistry } from './cluster-registry.service';
import { prometheusMetricProviders } from './prometheus.metrics';

/**
 * The cluster registry and its metrics. Needs AppConfig from the global ConfigModule. Named apart from willsoto's
 * PrometheusModule (the `/metrics` endpoint), which the system library registers once.
 */
@Module({
  providers: [ClusterRegistry, ClusterProber, Clock, ...prometheusMetricProviders],
  exports: [ClusterRegistry, ClusterProber, ...prometheusMetricProviders],
})
export class PrometheusClientModule {}
