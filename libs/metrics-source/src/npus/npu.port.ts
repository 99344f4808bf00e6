import type { PartialResult } from '@kcloud/common';
import type { DeviceFilter } from '../shared/device-filter';
import type { ScrapeTarget } from '../quality/device-quality.port';
import type { WithInvalidReadings } from '../quality/reading-quality';

/** NPU cards from the vendors' exporters (furiosa-metrics-exporter, rbln-metrics-exporter). */
export const NPU_SOURCE = Symbol('NPU_SOURCE');

/** The two vendors with their own exporters, and the makers all-smi names in its NPU/TPU device rows. */
export type NpuVendor = 'furiosa' | 'rebellions' | 'google' | 'tenstorrent' | 'aws' | 'intel' | 'unknown';

/**
 * One NPU card (FuriosaAI RNGD/Warboy via furiosa-metrics-exporter, Rebellions ATOM via rbln-metrics-exporter). A value
 * is absent when the vendor's exporter does not report it: Furiosa has no device memory, Rebellions no board sensor;
 * or when the reading-quality classifier refused it (then it is listed in `invalidReadings`).
 */
export interface NpuSample extends WithInvalidReadings {
  readonly cluster: string;
  readonly node: string;
  /** As the exporter prints it (Furiosa upper case, Rebellions lower case), no prefix. */
  readonly uuid: string;
  readonly vendor: NpuVendor;
  /** Furiosa's arch in its product spelling (`RNGD`, `Warboy`), Rebellions' card name (`RBLN-CA12`). */
  readonly model: string;
  /** Exporter device name: `npu0`, `rbln0`. */
  readonly device: string;
  readonly index: number;
  readonly pciBusId?: string;
  readonly driverVersion?: string;
  readonly firmwareVersion?: string;
  readonly namespace?: string;
  readonly pod?: string;
  readonly container?: string;
  /** Card utilisation, 0–100: Rebellions reports it, for Furiosa it is the mean over the card's cores. */
  readonly utilizationPercent?: number;
  readonly coreCount?: number;
  readonly memoryUsedMiB?: number;
  readonly memoryTotalMiB?: number;
  readonly powerWatts?: number;
  /** Furiosa: SoC peak sensor; Rebellions: the card temperature. */
  readonly temperatureCelsius?: number;
  /** Furiosa's board (ambient) sensor. */
  readonly ambientTemperatureCelsius?: number;
  /** furiosa_npu_alive = 1, RBLN_DEVICE_STATUS:HEALTH = 0. */
  readonly healthy?: boolean;
  readonly observedAt: Date;
  /** Set when all-smi listed the card (a `type="NPU"`/`"TPU"` device row) instead of its vendor's exporter. */
  readonly exporter?: 'all-smi';
  /** The Prometheus target the series came from (absent from the simulated source). */
  readonly scrapeTarget?: ScrapeTarget;
}

export interface NpuSource {
  npuSamples(filter: DeviceFilter): Promise<PartialResult<NpuSample>>;
}
