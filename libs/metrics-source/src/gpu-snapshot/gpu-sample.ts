import type { ClusterFailure, PartialResult } from '@kcloud/common';
import type { AcceleratorSource } from '../npus/npu.port';
import type { GpuSeriesSource } from '../gpu-series/gpu-series.port';
import type { GpuWindowSource } from '../gpu-window/gpu-window.port';
import type { PowerSource } from '../power/power.port';
import type { ScrapeTarget } from '../quality/device-quality.port';
import type { WithInvalidReadings } from '../quality/reading-quality';

/**
 * The port every domain service reads metrics through. It speaks typed domain samples, never PromQL.
 * Two adapters: PrometheusSource (real clusters) and SimulatedSource (the fleet model, in-process).
 * The contract suite in test/contract is its executable definition.
 */
export const METRIC_SOURCE = Symbol('METRIC_SOURCE');

export type DataSourceKind = 'prometheus' | 'simulated';

/** Label filters pushed down to the source. Lists are OR within a field, AND across fields; empty list = match nothing. */
export interface DeviceFilter {
  readonly clusters?: readonly string[];
  readonly nodes?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly pods?: readonly string[];
  readonly models?: readonly string[];
  readonly uuids?: readonly string[];
}

/**
 * One GPU, or one MIG instance of a GPU (then `migProfile`/`migInstanceId` are set and metrics are the instance's).
 * A value the exporter sent but the reading-quality classifier refused (a DCGM blank, NaN, impossible) is absent and
 * listed in `invalidReadings`.
 */
export interface GpuSample extends WithInvalidReadings {
  readonly cluster: string;
  readonly node: string;
  readonly uuid: string;
  readonly index: number;
  readonly model: string;
  /** `nvidia` unless the exporter says otherwise (all-smi also reports Apple Silicon and AMD GPUs). */
  readonly vendor?: string;
  readonly driverVersion?: string;
  readonly pciBusId?: string;
  readonly migProfile?: string;
  readonly migInstanceId?: string;
  readonly namespace?: string;
  readonly pod?: string;
  readonly container?: string;
  readonly utilizationPercent?: number;
  readonly memoryCopyUtilizationPercent?: number;
  readonly memoryUsedMiB?: number;
  readonly memoryFreeMiB?: number;
  readonly memoryReservedMiB?: number;
  readonly powerWatts?: number;
  readonly powerLimitWatts?: number;
  readonly temperatureCelsius?: number;
  readonly smClockMHz?: number;
  /** Total energy since the driver was loaded (DCGM reports mJ; converted here). */
  readonly energyJoules?: number;
  /** DCGM_FI_PROF_GR_ENGINE_ACTIVE, ratio 0–1 (the utilisation signal that exists for MIG instances). */
  readonly grEngineActiveRatio?: number;
  /** DCGM_FI_PROF_DRAM_ACTIVE, ratio 0–1. */
  readonly dramActiveRatio?: number;
  /** DCGM_FI_DEV_MEM_CLOCK, MHz. */
  readonly memoryClockMHz?: number;
  // Health (dcgm-exporter). Counters are totals as exported; absent = the family is not exported (not 0).
  /** DCGM_FI_DEV_XID_ERRORS: the code of the last XID error (0 = none since the driver loaded). */
  readonly lastXid?: number;
  /** DCGM_FI_DEV_ECC_SBE_VOL_TOTAL: single-bit ECC errors since the driver loaded. */
  readonly eccSingleBitVolatileCount?: number;
  /** DCGM_FI_DEV_ECC_DBE_VOL_TOTAL: double-bit ECC errors since the driver loaded. */
  readonly eccDoubleBitVolatileCount?: number;
  /** DCGM_FI_DEV_RETIRED_DBE: pages retired for double-bit errors (pre-Ampere; Ampere+ remaps rows instead). */
  readonly retiredPagesDoubleBitCount?: number;
  /** DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS. */
  readonly remappedRowsUncorrectableCount?: number;
  /** DCGM_FI_DEV_ROW_REMAP_FAILURE: 1 when a row remapping failed. */
  readonly rowRemapFailureFlag?: number;
  /** DCGM_FI_DEV_CLOCKS_EVENT_REASONS (formerly DCGM_FI_DEV_CLOCK_THROTTLE_REASONS): bitmask. */
  readonly clocksEventReasonsMask?: number;
  /** DCGM_FI_DEV_PCIE_REPLAY_COUNTER. */
  readonly pcieReplayCount?: number;
  /** DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL. */
  readonly nvlinkCrcFlitErrorCount?: number;
  /** DCGM_FI_DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL. */
  readonly nvlinkCrcDataErrorCount?: number;
  /** DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL. */
  readonly nvlinkReplayErrorCount?: number;
  /** DCGM_FI_DEV_NVLINK_RECOVERY_ERROR_COUNT_TOTAL. */
  readonly nvlinkRecoveryErrorCount?: number;
  /** When the newest of the sample's metrics was observed. */
  readonly observedAt: Date;
  /** The Prometheus target the series came from (absent from the simulated source). */
  readonly scrapeTarget?: ScrapeTarget;
}

/** A stable key for one GPU or MIG instance: `uuid` alone, or `uuid/migInstanceId`. */
export function gpuKey(s: { readonly uuid: string; readonly migInstanceId?: string }): string {
  return s.migInstanceId ? `${s.uuid}/${s.migInstanceId}` : s.uuid;
}

export interface MetricSource extends GpuWindowSource, GpuSeriesSource, AcceleratorSource, PowerSource {
  readonly kind: DataSourceKind;
  /** Current GPU samples (newest value per series within the lookback), filtered at the source. */
  gpuSamples(filter: DeviceFilter): Promise<PartialResult<GpuSample>>;
  /** Names of the clusters this source serves. */
  clusterNames(): readonly string[];
  /** Probes every cluster now (bounded by each cluster's timeout) and reports its state. */
  health(): Promise<readonly ClusterHealth[]>;
}

export interface ClusterHealth {
  readonly cluster: string;
  readonly status: 'up' | 'down' | 'unknown';
  /** The cluster's circuit breaker (Prometheus clusters); absent where there is none (the simulated fleet). */
  readonly circuit?: 'CLOSED' | 'OPEN' | 'HALF_OPEN';
  readonly latencyMs?: number;
  readonly lastSuccessAt?: Date;
  readonly error?: string;
}

export type { ClusterFailure, PartialResult };
