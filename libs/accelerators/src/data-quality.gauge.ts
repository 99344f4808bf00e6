import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Gauge, register } from 'prom-client';
import { DataQualityService } from './data-quality.service';
import { DEVICES_BY_QUALITY } from './data-quality.metrics';

/**
 * `kcloud_devices{cluster,quality}`: devices by data-quality status, computed when /metrics is scraped (through the
 * same cached reads as the `gpus`/`npus` queries), so the gauge never describes a filtered or outdated listing.
 * Labels are bounded: configured clusters × the five statuses.
 */
@Injectable()
export class DevicesByQualityGauge implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DevicesByQualityGauge.name);

  constructor(private readonly quality: DataQualityService) {}

  onModuleInit(): void {
    // One gauge per process; an app rebuilt in the same process (tests) replaces the previous one's collector.
    register.removeSingleMetric(DEVICES_BY_QUALITY);
    const quality = this.quality;
    const logger = this.logger;
    new Gauge({
      name: DEVICES_BY_QUALITY,
      help: 'GPUs, MIG instances and NPUs by the quality of their data (OK, STALE, FROZEN, EXPORTER_DOWN, PARTIAL)',
      labelNames: ['cluster', 'quality'],
      registers: [register],
      async collect() {
        try {
          const { items } = await quality.counts(undefined);
          this.reset();
          for (const c of items) this.set({ cluster: c.cluster, quality: c.status }, c.count);
        } catch (e) {
          // /metrics must answer even when the read fails: the gauge keeps its last values, the failure is logged.
          logger.warn(`kcloud_devices not refreshed: ${e instanceof Error ? e.message : String(e)}`);
        }
      },
    });
  }

  onModuleDestroy(): void {
    register.removeSingleMetric(DEVICES_BY_QUALITY);
  }
}
