import { Module } from '@nestjs/common';
import { MetricsSourceModule } from '@kcloud/metrics-source';
import { AcceleratorResolver } from './accelerator.resolver';
import { AcceleratorsService } from './accelerators.service';
import { GpuProcessResolver } from './gpu-process.resolver';
import { GpuProcessService } from './gpu-process.service';
import { GpuResolver } from './gpu.resolver';
import { NpuResolver } from './npu.resolver';
import { NpuService } from './npu.service';

@Module({
  imports: [MetricsSourceModule],
  providers: [
    AcceleratorsService,
    NpuService,
    GpuProcessService,
    GpuResolver,
    NpuResolver,
    AcceleratorResolver,
    GpuProcessResolver,
  ],
  exports: [AcceleratorsService, NpuService],
})
export class AcceleratorsModule {}
