import { Module } from '@nestjs/common';
import { MetricsSourceModule } from '@kcloud/metrics-source';
import { AcceleratorResolver } from './accelerator.resolver';
import { AcceleratorsService } from './accelerators.service';
import { ClusterLabelResolution } from '@kcloud/metrics-source';
import { DevicesByQualityGauge } from './data-quality.gauge';
import { DataQualityLoaders } from './data-quality.loaders';
import { dataQualityMetricProviders, InvalidReadingsCounter } from './data-quality.metrics';
import { GpuDataQualityResolver, NpuDataQualityResolver } from './data-quality.resolver';
import { DataQualityService } from './data-quality.service';
import { GpuProcessResolver } from './gpu-process.resolver';
import { GpuProcessService } from './gpu-process.service';
import { GpuResolver } from './gpu.resolver';
import { GpuHealthResolver } from './health/gpu-health.resolver';
import { GpuHistoryLoaders } from './history/gpu-history.loaders';
import { GpuHistoryResolver } from './history/gpu-history.resolver';
import { GpuHistoryService } from './history/gpu-history.service';
import { NpuHistoryLoaders } from './history/npu-history.loaders';
import { NpuHistoryResolver } from './history/npu-history.resolver';
import { NpuHistoryService } from './history/npu-history.service';
import { NpuResolver } from './npu.resolver';
import { NpuService } from './npu.service';
import { GpuMetricsHub } from './live/gpu-metrics.hub';
import { GpuMetricsResolver } from './live/gpu-metrics.resolver';
import { intervalScheduler, STREAM_SCHEDULER } from '@kcloud/realtime';

@Module({
  imports: [MetricsSourceModule],
  providers: [
    AcceleratorsService,
    ClusterLabelResolution,
    NpuService,
    GpuProcessService,
    GpuResolver,
    GpuHealthResolver,
    NpuResolver,
    AcceleratorResolver,
    GpuProcessResolver,
    DataQualityService,
    DataQualityLoaders,
    InvalidReadingsCounter,
    DevicesByQualityGauge,
    GpuDataQualityResolver,
    NpuDataQualityResolver,
    GpuHistoryService,
    GpuHistoryLoaders,
    GpuHistoryResolver,
    NpuHistoryService,
    NpuHistoryLoaders,
    NpuHistoryResolver,
    GpuMetricsHub,
    GpuMetricsResolver,
    { provide: STREAM_SCHEDULER, useValue: intervalScheduler },
    ...dataQualityMetricProviders,
  ],
  exports: [
    ClusterLabelResolution,
    AcceleratorsService,
    NpuService,
    DataQualityService,
    GpuHistoryService,
    NpuHistoryService,
  ],
})
export class AcceleratorsModule {}
