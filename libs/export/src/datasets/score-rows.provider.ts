import type { TenantScope } from '@kcloud/common';

/**
 * What the `scores` dataset and the report need from the analyzer: its current result per GPU (per pod for a
 * time-sliced GPU). An interface of our own so this library depends on one method, and tests on a fake.
 */
export interface ScoreRow {
  /** UUID, or UUID/migInstanceId for a MIG instance. */
  readonly gpuId: string;
  readonly cluster: string;
  readonly node: string;
  readonly model: string;
  readonly namespace?: string;
  readonly pod?: string;
  /** 0–100; absent when the status is unknown. */
  readonly score?: number;
  /** idle | low | normal | high | unknown. */
  readonly status: string;
  readonly statusSince: Date;
  readonly utilizationPercent?: number;
  readonly memoryCopyUtilizationPercent?: number;
  readonly memoryUsedPercent?: number;
  readonly powerPercent?: number;
  readonly computedAt: Date;
}

export interface ScoreRowsProvider {
  /** Current results within `scope`, and when the analysis behind them completed (undefined: none yet). */
  currentScores(
    scope: TenantScope,
  ): Promise<{ readonly rows: readonly ScoreRow[]; readonly analysedAt?: Date }>;
}

export const SCORE_ROWS_PROVIDER = Symbol('SCORE_ROWS_PROVIDER');
