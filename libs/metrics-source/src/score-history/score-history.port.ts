import type { ClusterFailure } from '@kcloud/common';
import type { SeriesRange } from '../gpu-series/gpu-series.port';

/**
 * The analyzer's per-GPU score and status over time, as Prometheus keeps them from the API's own `/metrics`
 * (`gpu_utilization_score`): a capability of its own — port, DI token, Prometheus and simulated adapters, a testing
 * fake; one range query per Prometheus URL for every GPU asked, whatever their count.
 */
export const SCORE_HISTORY_SOURCE = Symbol('SCORE_HISTORY_SOURCE');

export interface ScoreHistoryFilter {
  /** The clusters the GPUs belong to (already narrowed to the caller's scope). */
  readonly clusters: readonly string[];
  /** gpu_id values: the gpuKey (UUID, or UUID/migInstanceId). */
  readonly gpuIds: readonly string[];
  /** A namespace-scoped key's namespaces: per step, a GPU's points only while its pod was in one of them. */
  readonly namespaces?: readonly string[];
}

export interface ScoreAtStep {
  readonly score: number;
  /** The status label of the series present at that step (lower case: idle, low, normal, high). */
  readonly status: string;
}

export interface ScoreHistory {
  /** gpu_id → step timestamp (ms) → score and status. */
  readonly byKey: ReadonlyMap<string, ReadonlyMap<number, ScoreAtStep>>;
  readonly failures: readonly ClusterFailure[];
}

export interface ScoreHistorySource {
  scoreHistory(filter: ScoreHistoryFilter, range: SeriesRange): Promise<ScoreHistory>;
}
