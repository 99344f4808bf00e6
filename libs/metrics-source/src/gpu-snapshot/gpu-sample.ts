import type { ScrapeTarget } from '../quality/device-quality.port';
import type { WithInvalidReadings } from '../quality/reading-quality';

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
