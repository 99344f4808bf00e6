import type { ReadingSpec } from '../quality/reading-value';

const ratio: ReadingSpec = { kind: 'fp64', unit: 'ratio', min: 0, max: 1 };
/** DCGM error counters are int64 totals since the driver loaded. */
const errorCount: ReadingSpec = { kind: 'int64', unit: 'count', min: 0, max: Number.MAX_SAFE_INTEGER };

/**
 * The physical ranges of the readings only dcgm-exporter reports (profiling ratios, clocks, health counters), beside
 * their families: a new DCGM field adds its row here. READING_SPECS (quality/reading-value.ts) includes them.
 */
export const DCGM_READING_SPECS = {
  grEngineActiveRatio: ratio,
  dramActiveRatio: ratio,
  memoryClockMHz: { kind: 'int32', unit: 'MHz', min: 0, max: 50_000 },
  // GPU health (dcgm-exporter). XID codes are < 1000 (the catalogue ends near 170).
  lastXid: { kind: 'int32', unit: 'xid', min: 0, max: 999 },
  eccSingleBitVolatileCount: errorCount,
  eccDoubleBitVolatileCount: errorCount,
  retiredPagesDoubleBitCount: errorCount,
  remappedRowsUncorrectableCount: errorCount,
  rowRemapFailureFlag: { kind: 'int32', unit: 'flag', min: 0, max: 1 },
  // An int64 bitmask; the reasons defined so far use the low 9 bits.
  clocksEventReasonsMask: { kind: 'int64', unit: 'bitmask', min: 0, max: 2 ** 32 - 1 },
  pcieReplayCount: errorCount,
  nvlinkCrcFlitErrorCount: errorCount,
  nvlinkCrcDataErrorCount: errorCount,
  nvlinkReplayErrorCount: errorCount,
  nvlinkRecoveryErrorCount: errorCount,
} as const satisfies Readonly<Record<string, ReadingSpec>>;
