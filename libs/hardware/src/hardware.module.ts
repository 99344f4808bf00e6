import { Module } from '@nestjs/common';
import { ClusterLabelResolution, MetricsSourceModule } from '@kcloud/metrics-source';
import { HardwareResolver } from './hardware.resolver';
import { HardwareService } from './hardware.service';

/** IPMI sensors (ipmi_exporter) and DCMI server power. */
@Module({
  imports: [MetricsSourceModule],
  providers: [ClusterLabelResolution, HardwareService, HardwareResolver],
  exports: [HardwareService],
})
export class HardwareModule {}
