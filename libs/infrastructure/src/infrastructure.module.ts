import { Module } from '@nestjs/common';
import { AcceleratorsModule } from '@kcloud/accelerators';
import { MetricsSourceModule } from '@kcloud/metrics-source';
import { DeviceHistoryResolver } from './device-history/device-history.resolver';
import { DeviceHistoryService } from './device-history/device-history.service';
import { InfrastructureLoaders } from './infrastructure.loaders';
import { InfrastructureService } from './infrastructure.service';
import { NodeHostLoaders } from './host/node-host.loaders';
import { NodeHostResolver } from './host/node-host.resolver';
import { ContainerUsageLoaders } from './cadvisor/container-usage.loaders';
import { ContainerUsageResolver } from './cadvisor/container-usage.resolver';
import { PodUsageResolver } from './cadvisor/pod-usage.resolver';
import { NodeHistoryLoaders } from './history/node-history.loaders';
import { NodeHistoryResolver } from './history/node-history.resolver';
import { NodeHistoryService } from './history/node-history.service';
import { NodeResolver } from './node.resolver';
import { PodResolver } from './pod.resolver';
import { VmResolver } from './vm.resolver';

/** Nodes, pods and containers (Kepler + kube-state-metrics); VMs answer NOT_SUPPORTED. */
@Module({
  imports: [MetricsSourceModule, AcceleratorsModule],
  providers: [
    InfrastructureService,
    InfrastructureLoaders,
    NodeResolver,
    PodResolver,
    VmResolver,
    NodeHostLoaders,
    NodeHostResolver,
    ContainerUsageLoaders,
    PodUsageResolver,
    ContainerUsageResolver,
    NodeHistoryService,
    NodeHistoryLoaders,
    NodeHistoryResolver,
    DeviceHistoryService,
    DeviceHistoryResolver,
  ],
  exports: [InfrastructureService],
})
export class InfrastructureModule {}
