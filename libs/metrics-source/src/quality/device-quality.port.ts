import type { PartialResult } from '@kcloud/common';
import type { DeviceFilter } from '../shared/device-filter';
import type { GpuSample } from '../gpu-snapshot/gpu-sample';
import type { NpuSample } from '../npus/npu.port';

/**
 * How fresh and how alive the data behind each device is: the exporter target's `up`, its scrape interval, readings
 * frozen for many scrapes, and the devices last seen on a target that is now down. A port of its own (not part of
 * another capability): domain services combine it with the samples through the pure `judgeDeviceQuality`.
 */
export const DEVICE_QUALITY_SOURCE = Symbol('DEVICE_QUALITY_SOURCE');

/** The Prometheus scrape target a device's series came from: its `instance` and `job` target labels. */
export interface ScrapeTarget {
  readonly instance: string;
  readonly job: string;
}

/** Samples read from Prometheus keep their target, so their freshness can be judged against it. */
export interface WithScrapeTarget {
  readonly scrapeTarget?: ScrapeTarget;
}

export interface TargetState {
  readonly target: ScrapeTarget;
  /** The target's `up` now: false when the last scrape failed (connection refused, HTTP 5xx, timeout). */
  readonly up: boolean;
  /** Measured from the target's own `up` samples; absent until the target has two samples. */
  readonly scrapeIntervalSeconds?: number;
}

/** What one cluster says about its device data, read in a constant number of requests whatever the device count. */
export interface ClusterQualityEvidence<S> {
  readonly cluster: string;
  /** The time the evidence describes ("now" for the ages). */
  readonly evaluatedAt: Date;
  readonly targets: readonly TargetState[];
  /** Keys (`gpuKey`, or the NPU's UUID) of devices whose readings stayed identical for DATA_FROZEN_SAMPLES scrapes. */
  readonly frozenKeys: readonly string[];
  /**
   * Devices seen within DATA_DOWN_LOOKBACK_SECONDS on a target that is down now: their last identity and tenant, no
   * readings, `observedAt` = their last sample, `scrapeTarget` set.
   */
  readonly unreachable: readonly S[];
}

export type GpuQualityEvidence = ClusterQualityEvidence<GpuSample>;
export type NpuQualityEvidence = ClusterQualityEvidence<NpuSample>;

export interface DeviceQualitySource {
  /** One evidence per selected cluster; a failed cluster is a failure, as for the samples. */
  gpuEvidence(filter: DeviceFilter): Promise<PartialResult<GpuQualityEvidence>>;
  npuEvidence(filter: DeviceFilter): Promise<PartialResult<NpuQualityEvidence>>;
}

/** DATA_* settings: how many identical scrapes make a device frozen, how long a down target's devices stay listed. */
export interface DeviceQualitySettings {
  readonly frozenSamples: number;
  readonly downLookbackSeconds: number;
}
