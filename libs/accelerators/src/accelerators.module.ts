import { Module } from '@nestjs/common';
import { MetricsSourceModule } from '@kcloud/metrics-source';
import { AcceleratorsService } from './accelerators.service';
import { GpuResolver } from './gpu.resolver';

@Module({
  imports: [MetricsSourceModule],
  providers: [AcceleratorsService, GpuResolver],
  exports: [AcceleratorsService],
})
export class AcceleratorsModule {}
