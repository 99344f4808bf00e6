import type { GpuSample } from '@kcloud/metrics-source';
import { decodeClockEvents } from './clock-events';
import { xidEntry } from './xid-catalogue';

export enum GpuHealthStatus {
  HEALTHY = 'HEALTHY',
  WARNING = 'WARNING',
  CRITICAL = 'CRITICAL',
  /** No health family was exported (or every one was refused): nothing to judge by. */
  UNKNOWN = 'UNKNOWN',
}

/** A GPU's health as read from dcgm-exporter; counts are totals since the driver loaded, null = not exported. */
export interface GpuHealthView {
  readonly status: GpuHealthStatus;
  readonly lastXid?: number;
  readonly lastXidDescription?: string;
  readonly eccDoubleBitVolatileCount?: number;
  readonly eccSingleBitVolatileCount?: number;
  readonly retiredPagesDoubleBitCount?: number;
  readonly remappedRowsUncorrectableCount?: number;
  readonly rowRemapFailure?: boolean;
  readonly throttleReasons: readonly string[];
  readonly pcieReplayCount?: number;
  readonly nvlinkErrorCount?: number;
  readonly reasons: readonly string[];
}

/**
 * PCIe replays happen on healthy links (a few per day); a GPU is flagged once they reach this many since the driver
 * loaded. A rate would be better, but the instant read has no window.
 */
export const PCIE_REPLAY_WARNING = 100;

const NVLINK_FIELDS = [
  'nvlinkCrcFlitErrorCount',
  'nvlinkCrcDataErrorCount',
  'nvlinkReplayErrorCount',
  'nvlinkRecoveryErrorCount',
] as const;

const HEALTH_FIELDS = [
  'lastXid',
  'eccSingleBitVolatileCount',
  'eccDoubleBitVolatileCount',
  'retiredPagesDoubleBitCount',
  'remappedRowsUncorrectableCount',
  'rowRemapFailureFlag',
  'clocksEventReasonsMask',
  'pcieReplayCount',
  ...NVLINK_FIELDS,
] as const;

/**
 * Judges a GPU from its dcgm health readings. CRITICAL: a critical XID (fallen off the bus, DBE, uncontained ECC…),
 * double-bit ECC errors, a failed row remap. WARNING: any other XID, a hardware clock slowdown (thermal, power brake,
 * HW slowdown), retired pages or uncorrectable remapped rows, NVLink errors, PCIe replays ≥ PCIE_REPLAY_WARNING.
 * Absent readings are unknown, never 0: with none present the status is UNKNOWN.
 */
export function gpuHealth(s: GpuSample): GpuHealthView {
  const critical: string[] = [];
  const warning: string[] = [];
  const xid = s.lastXid;
  const xidInfo = xid !== undefined && xid > 0 ? xidEntry(xid) : undefined;
  if (xid !== undefined && xidInfo)
    (xidInfo.severity === 'CRITICAL' ? critical : warning).push(`XID ${xid}: ${xidInfo.description}`);
  const dbe = s.eccDoubleBitVolatileCount;
  if (dbe !== undefined && dbe > 0) critical.push(`${dbe} double-bit ECC error(s) since the driver loaded`);
  if (s.rowRemapFailureFlag === 1) critical.push('row remapping failed');
  const retired = s.retiredPagesDoubleBitCount;
  if (retired !== undefined && retired > 0) warning.push(`${retired} page(s) retired for double-bit errors`);
  const remapped = s.remappedRowsUncorrectableCount;
  if (remapped !== undefined && remapped > 0)
    warning.push(`${remapped} row(s) remapped for uncorrectable errors`);
  const clocks =
    s.clocksEventReasonsMask === undefined ? undefined : decodeClockEvents(s.clocksEventReasonsMask);
  if (clocks?.degrading.length) warning.push(`clocks reduced by ${clocks.degrading.join(', ')}`);
  const nvlinkParts = NVLINK_FIELDS.map((f) => s[f]).filter((v): v is number => v !== undefined);
  const nvlinkErrorCount = nvlinkParts.length ? nvlinkParts.reduce((a, b) => a + b, 0) : undefined;
  if (nvlinkErrorCount !== undefined && nvlinkErrorCount > 0)
    warning.push(`${nvlinkErrorCount} NVLink error(s) since the driver loaded`);
  const replays = s.pcieReplayCount;
  if (replays !== undefined && replays >= PCIE_REPLAY_WARNING) warning.push(`${replays} PCIe replays`);

  const anyReading = HEALTH_FIELDS.some((f) => s[f] !== undefined);
  const status = critical.length
    ? GpuHealthStatus.CRITICAL
    : warning.length
      ? GpuHealthStatus.WARNING
      : anyReading
        ? GpuHealthStatus.HEALTHY
        : GpuHealthStatus.UNKNOWN;
  return {
    status,
    lastXid: xid,
    lastXidDescription: xid === undefined ? undefined : xid === 0 ? 'No Error' : xidInfo?.description,
    eccDoubleBitVolatileCount: dbe,
    eccSingleBitVolatileCount: s.eccSingleBitVolatileCount,
    retiredPagesDoubleBitCount: retired,
    remappedRowsUncorrectableCount: remapped,
    rowRemapFailure: s.rowRemapFailureFlag === undefined ? undefined : s.rowRemapFailureFlag === 1,
    throttleReasons: clocks?.names ?? [],
    pcieReplayCount: replays,
    nvlinkErrorCount,
    reasons: [...critical, ...warning],
  };
}

/** Whether a GPU passes a `health` filter (absent or empty list = every GPU). */
export function keepHealth(s: GpuSample, wanted: readonly GpuHealthStatus[] | undefined): boolean {
  return !wanted?.length || wanted.includes(gpuHealth(s).status);
}
