import type { AppConfig } from '@kcloud/common';
import { type IdlePrices, parseGpuHourPrices } from './idle-pricing';

/** The idle-accounting settings (IDLE_PRICE_*, COST_CURRENCY, IDLE_LEDGER_BUCKET_SECONDS). */
export interface IdleSettings {
  readonly prices: IdlePrices;
  readonly bucketMs: number;
  /**
   * An interval longer than this between two accounted cycles is not charged (the analyzer was down or no replica
   * led): three analysis intervals, at least 5 minutes, so skipped or slow cycles (a loaded host, a leader change)
   * are still charged, to the state found after them.
   */
  readonly maxGapMs: number;
}

const MIN_GAP_SECONDS = 300;

export function idleSettings(config: AppConfig): IdleSettings {
  const e = config.env;
  const perGpuHourByModel = parseGpuHourPrices(e.IDLE_PRICE_PER_GPU_HOUR);
  // The env schema validated the value already; this only narrows the type.
  if (typeof perGpuHourByModel === 'string') throw new Error(perGpuHourByModel);
  return {
    prices: { perGpuHourByModel, perKWh: e.IDLE_PRICE_PER_KWH, currency: e.COST_CURRENCY },
    bucketMs: e.IDLE_LEDGER_BUCKET_SECONDS * 1000,
    maxGapMs: Math.max(3 * config.analyzer.intervalSeconds, MIN_GAP_SECONDS) * 1000,
  };
}
