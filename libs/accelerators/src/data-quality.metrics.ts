import { Inject, Injectable } from '@nestjs/common';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { AppConfig } from '@kcloud/common';
import { type InvalidReading, InvalidReadingReason } from '@kcloud/metrics-source';

export const READINGS_INVALID = 'kcloud_device_readings_invalid_total';
export const DEVICES_BY_QUALITY = 'kcloud_devices';

/** The exporters a refused reading can come from (bounded label values). */
export const QUALITY_EXPORTERS = [
  'dcgm',
  'all-smi',
  'nvidia-smi',
  'nvidia-gpu',
  'furiosa',
  'rebellions',
] as const;
export type QualityExporter = (typeof QUALITY_EXPORTERS)[number];

/** Device fields a reader may refuse; anything else is counted as `other` so the label stays bounded. */
const FIELDS: ReadonlySet<string> = new Set([
  'utilizationPercent',
  'memoryCopyUtilizationPercent',
  'memoryUsedMiB',
  'memoryFreeMiB',
  'memoryReservedMiB',
  'memoryTotalMiB',
  'powerWatts',
  'powerLimitWatts',
  'temperatureCelsius',
  'ambientTemperatureCelsius',
  'smClockMHz',
  'energyJoules',
  'grEngineActiveRatio',
  'dramActiveRatio',
  'coreCount',
]);
const REASONS: ReadonlySet<string> = new Set(Object.values(InvalidReadingReason));

export const dataQualityMetricProviders = [
  makeCounterProvider({
    name: READINGS_INVALID,
    help:
      'Device readings refused as null (DCGM blank, NaN/Inf, impossible value), once per device, field and scrape ' +
      'the API read',
    labelNames: ['cluster', 'exporter', 'field', 'reason'],
  }),
];

/** Keeps `kcloud_device_readings_invalid_total` counting scrapes, not API reads: a scrape read twice counts once. */
@Injectable()
export class InvalidReadingsCounter {
  private readonly lastCounted = new Map<string, number>();
  private readonly clusters: ReadonlySet<string>;

  constructor(
    @InjectMetric(READINGS_INVALID) private readonly counter: Counter<string>,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.clusters = new Set(config.prometheus.clusters.map((c) => c.name));
  }

  count(
    device: { readonly cluster: string; readonly key: string; readonly observedAt: Date },
    exporter: QualityExporter,
    invalid: readonly InvalidReading[] | undefined,
  ): void {
    if (!invalid?.length) return;
    const at = device.observedAt.getTime();
    // Configured clusters only (the simulated source's names are fixed too): the label stays bounded.
    const cluster = this.clusters.size === 0 || this.clusters.has(device.cluster) ? device.cluster : 'other';
    for (const { field, reason } of invalid) {
      const key = `${device.cluster}\u0000${device.key}\u0000${field}`;
      if ((this.lastCounted.get(key) ?? -Infinity) >= at) continue;
      this.lastCounted.set(key, at);
      this.counter.inc({
        cluster,
        exporter,
        field: FIELDS.has(field) ? field : 'other',
        reason: REASONS.has(reason) ? reason : 'other',
      });
    }
  }
}
