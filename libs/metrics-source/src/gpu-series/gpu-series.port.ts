import type { PartialResult } from '@kcloud/common';
import type { DeviceFilter } from '../shared/device-filter';
import type { GpuSample } from '../gpu-snapshot/gpu-sample';

export const GPU_SERIES_SOURCE = Symbol('GPU_SERIES_SOURCE');

/**
 * Range reads of GPU metrics for exports and reports. The answer is an async sequence of batches so a caller holds
 * one batch at a time: the range is split into chunks of whole step timestamps and read chunk by chunk, each chunk
 * with a constant number of requests per cluster. A batch never splits one timestamp, so per-timestamp maths (MIG
 * boards, power per node) works within a batch.
 */
export interface SeriesRange {
  readonly from: Date;
  readonly to: Date;
  /** Points are evaluated at from, from + step, … ≤ to. */
  readonly stepSeconds: number;
  /** Soft bound on rows per batch; a single timestamp with more rows than this is still one batch. */
  readonly maxRowsPerBatch?: number;
  /** Stops the reading between chunks (client went away). */
  readonly signal?: AbortSignal;
}

/**
 * One GPU or MIG instance at one step timestamp: the values Prometheus answers for that instant, `observedAt` being
 * when the newest of them was scraped.
 */
export interface GpuSeriesPoint extends GpuSample {
  readonly timestamp: Date;
}

/**
 * Board power summed per (cluster, node, tenant namespace) at one timestamp. A MIG board's power is split equally
 * among its instance rows, so every physical GPU is counted exactly once.
 */
export interface GpuPowerPoint {
  readonly timestamp: Date;
  readonly cluster: string;
  readonly node: string;
  /** Absent for GPUs without a pod. */
  readonly namespace?: string;
  /** Physical GPUs contributing to this group. */
  readonly gpuCount: number;
  readonly powerWatts: number;
}

export interface GpuSeriesSource {
  /** Every value family per GPU/MIG instance and step. Failed clusters are reported per batch, never dropped. */
  gpuMetricSeries(filter: DeviceFilter, range: SeriesRange): AsyncIterable<PartialResult<GpuSeriesPoint>>;
  /** DCGM_FI_DEV_POWER_USAGE aggregated by cluster, node and namespace per step. */
  gpuPowerSeries(filter: DeviceFilter, range: SeriesRange): AsyncIterable<PartialResult<GpuPowerPoint>>;
}
