import type { PartialResult } from '@kcloud/common';
import type { DeviceFilter } from '../shared/device-filter';
import type { WithInvalidReadings } from '../quality/reading-quality';

/** Window averages per GPU for scoring (the analyzer's cycle, GPU processes' utilisation). */
export const GPU_WINDOW_SOURCE = Symbol('GPU_WINDOW_SOURCE');

/** One pod holding a device; a time-sliced GPU is held by several at once. */
export interface GpuTenant {
  readonly namespace?: string;
  readonly pod?: string;
  readonly container?: string;
}

/**
 * Averages of one GPU (or one MIG instance) over a window ending at `at`. A value is absent when the exporter sent no
 * sample of that family in the window (GPU_UTIL / MEM_COPY_UTIL on MIG instances, DCP fields on old GPUs, the power
 * limit unless the operator added it), or when the reading-quality classifier refused the average (a blank, NaN or
 * impossible reading in the window makes the average garbage): then `invalidReadings` names the field and the reason.
 */
export interface GpuWindowAggregate extends WithInvalidReadings {
  readonly cluster: string;
  readonly node: string;
  readonly uuid: string;
  readonly index: number;
  readonly model: string;
  readonly migProfile?: string;
  readonly migInstanceId?: string;
  /** Every pod seen on the device at the window's end, in a stable order; empty when unallocated. */
  readonly tenants: readonly GpuTenant[];
  readonly utilizationPercent?: number;
  readonly memoryCopyUtilizationPercent?: number;
  readonly memoryUsedMiB?: number;
  /** Average free framebuffer; a source may derive it as capacity − average used (the capacity is constant). */
  readonly memoryFreeMiB?: number;
  readonly memoryReservedMiB?: number;
  /** Board power; MIG instances carry their parent GPU's. */
  readonly powerWatts?: number;
  readonly powerLimitWatts?: number;
  readonly smClockMHz?: number;
  /** DCGM_FI_PROF_GR_ENGINE_ACTIVE, ratio 0–1. */
  readonly grEngineActiveRatio?: number;
  /** DCGM_FI_PROF_DRAM_ACTIVE, ratio 0–1. */
  readonly dramActiveRatio?: number;
  /** DCGM_FI_DEV_XID_ERRORS at the window's end: the last XID since the driver loaded (0 = none). Health, not scored. */
  readonly lastXid?: number;
  /** Highest DCGM_FI_DEV_ECC_DBE_VOL_TOTAL in the window (a count since the driver loaded). Health, not scored. */
  readonly eccDoubleBitVolatileCount?: number;
  /** Signals the device's exporter does not provide at all, with why (said instead of "no samples"). */
  readonly notExported?: Readonly<Partial<Record<'memoryCopyUtilizationPercent', string>>>;
  /** Time of the newest sample of the device (staleness is judged from it). */
  readonly observedAt: Date;
}

export interface GpuWindowQuery {
  /** Window length in whole seconds, at least 1. */
  readonly windowSeconds: number;
  /** End of the window; now when omitted. */
  readonly at?: Date;
}

/**
 * Window aggregates for scoring: a constant number of requests per cluster, whatever the GPU count. Namespace and pod
 * filters are applied in memory (a device matches when any of its tenants does).
 */
export interface GpuWindowSource {
  gpuWindowAggregates(
    filter: DeviceFilter,
    query: GpuWindowQuery,
  ): Promise<PartialResult<GpuWindowAggregate>>;
}
