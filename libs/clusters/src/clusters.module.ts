import { Module } from '@nestjs/common';
import { AcceleratorsModule } from '@kcloud/accelerators';
import { MetricsSourceModule } from '@kcloud/metrics-source';
import { MonitoringModule } from '@kcloud/monitoring';
import { ClusterQualityResolver } from './cluster-quality.resolver';
import { ClusterStateStore } from './cluster-state.store';
import { ClustersResolver } from './clusters.resolver';
import { ClustersService } from './clusters.service';

/** Cluster list, summary, power, topology and device data-quality counts; registerCluster / removeCluster at run time. */
@Module({
  imports: [MetricsSourceModule, MonitoringModule, AcceleratorsModule],
  providers: [ClustersService, ClusterStateStore, ClustersResolver, ClusterQualityResolver],
  exports: [ClustersService],
})
export class ClustersModule {}
