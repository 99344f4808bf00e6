import { Module } from '@nestjs/common';
import { MetricsSourceModule } from '@kcloud/metrics-source';
import { MonitoringModule } from '@kcloud/monitoring';
import { ClustersResolver } from './clusters.resolver';
import { ClustersService } from './clusters.service';

/** Cluster list, summary, power and topology; registerCluster / removeCluster at run time. */
@Module({
  imports: [MetricsSourceModule, MonitoringModule],
  providers: [ClustersService, ClustersResolver],
  exports: [ClustersService],
})
export class ClustersModule {}
