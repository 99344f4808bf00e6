import type { IdleUsageResult, ScoringConfig } from '@kcloud/analyzer';
import type { GpuSample } from '@kcloud/metrics-source';
import type { ScoreRow } from '../datasets/score-rows.provider';
import type { ReportTotals } from './report-fold';
import type { ClusterNodePower } from './node-power-section';
import type { UnifiedClusterStep } from '../datasets/unified-power';
import type { ReportEnergy } from './energy-sections';

/** What the report is built from: the folded range, the GPUs in scope now and the analyzer's current results. */
export const TOP_IDLE_GPUS = 20;
export const STATUS_ORDER = ['idle', 'low', 'normal', 'high', 'unknown'] as const;

export interface ReportInput {
  readonly from: Date;
  readonly to: Date;
  readonly stepSeconds: number;
  /** The GPUs in scope now. */
  readonly current: readonly GpuSample[];
  readonly totals: ReportTotals;
  readonly scores: readonly ScoreRow[];
  /** When the analysis behind `scores` completed; undefined when none has yet. */
  readonly analysedAt?: Date;
  /** The analyzer's rule in force: the report's definition of idle. */
  readonly scoring: ScoringConfig;
  /** Idle GPU-hours, energy and cost per namespace over the range, from the analyzer's idle ledger. */
  readonly idleUsage?: IdleUsageResult;
  /** Whole-node power per cluster over the range; absent for a namespace-scoped key (node-wide figures). */
  readonly nodePower?: readonly ClusterNodePower[];
  /** The unified view per cluster and step (PUE over time); absent for a namespace-scoped key (cluster-wide). */
  readonly unified?: readonly UnifiedClusterStep[];
  /** Energy per cluster and namespace as GraphQL `energy` states it for the same range and key. */
  readonly energy?: ReportEnergy;
}

/** Today's fleet in the report's counts: a device is a GPU or MIG instance, a physical GPU its board (cluster + UUID). */
export interface FleetCounts {
  readonly clusters: number;
  readonly nodes: number;
  readonly devices: number;
  readonly physicalGpus: number;
  readonly allocatedDevices: number;
}

export function fleetCounts(current: readonly GpuSample[]): FleetCounts {
  return {
    clusters: new Set(current.map((g) => g.cluster)).size,
    nodes: new Set(current.map((g) => `${g.cluster}/${g.node}`)).size,
    devices: current.length,
    physicalGpus: new Set(current.map((g) => `${g.cluster}|${g.uuid}`)).size,
    allocatedDevices: current.filter((g) => g.namespace).length,
  };
}

/** DCGM repeats a MIG board's power on each instance: count each board once. */
export function boardPowerNowWatts(current: readonly GpuSample[]): number {
  const boardWatts = new Map<string, number>();
  for (const g of current)
    if (g.powerWatts !== undefined) boardWatts.set(`${g.cluster}|${g.uuid}`, g.powerWatts);
  return [...boardWatts.values()].reduce((a, b) => a + b, 0);
}

/** Rows per status in STATUS_ORDER (one row per GPU or MIG instance, per pod when time-sliced). */
export function statusCounts(scores: readonly ScoreRow[]): Map<string, number> {
  const counts = new Map<string, number>(STATUS_ORDER.map((s) => [s, 0]));
  for (const s of scores) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  return counts;
}
