import type { ScoreRow } from '../datasets/score-rows.provider';
import type { Row } from '../table';
import {
  countColumn,
  type DualTable,
  joulesColumn,
  quantityColumn,
  textColumn,
  wattsColumn,
} from './dual-table';
import type { IdleGpu, NamespacePower, ReportTotals } from './report-fold';
import {
  boardPowerNowWatts,
  fleetCounts,
  type ReportInput,
  statusCounts,
  TOP_IDLE_GPUS,
} from './report-input';
import { JOULES_PER_KWH, SECONDS_PER_HOUR } from './units';

/**
 * The report's core tables, each written once for machines (JSON: watts, joules, seconds) and people (PDF, xlsx: kW,
 * kWh, hours), so the two can only differ in units and wording.
 */
const round = (v: number, digits = 3): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** A summary figure: its machine row (name, value, unit) and its human row (label, value, unit); either may be absent. */
export interface Figure {
  readonly machine?: Row;
  readonly human?: Row;
}

const count = (metric: string, label: string, n: number, unit = 'count'): Figure => ({
  machine: [metric, n, unit],
  human: [label, n, ''],
});
const watts = (metric: string, label: string, w: number): Figure => ({
  machine: [metric, round(w), 'watts'],
  human: [label, w / 1000, 'kW'],
});
const joules = (metric: string, label: string, j: number): Figure => ({
  machine: [metric, round(j), 'joules'],
  human: [label, j / JOULES_PER_KWH, 'kWh'],
});

/** The summary in order; the two figures only people get are ratios and counts derived from the others. */
export function summaryFigures(input: ReportInput): Figure[] {
  const { current, totals } = input;
  const fleet = fleetCounts(current);
  return [
    count('clusters', 'Clusters', fleet.clusters),
    count('nodes', 'Nodes', fleet.nodes),
    count(
      'gpu_devices',
      'GPU devices (GPUs and MIG instances)',
      fleet.devices,
      'count (GPUs and MIG instances)',
    ),
    count('physical_gpus', 'Physical GPUs', fleet.physicalGpus),
    count('allocated_devices', 'Allocated devices', fleet.allocatedDevices),
    watts('power_now', 'GPU power now', boardPowerNowWatts(current)),
    watts('average_power', 'Average GPU power', totals.averagePowerWatts),
    joules('energy', 'GPU energy', totals.energyJoules),
    { human: ['GPUs idle for most of the range', totals.mostlyIdle.count, ''] },
    {
      machine: ['idle_gpu_time', round(totals.idleGpuSeconds / SECONDS_PER_HOUR), 'hours'],
      human: ['Idle GPU time', totals.idleGpuSeconds / SECONDS_PER_HOUR, 'h'],
    },
    joules('idle_energy', 'Idle energy', totals.wastedEnergyJoules),
    {
      human: [
        'Idle share of GPU energy',
        totals.energyJoules ? (100 * totals.wastedEnergyJoules) / totals.energyJoules : 0,
        '%',
      ],
    },
  ];
}

interface StatusRow {
  readonly status: string;
  readonly count: number;
  readonly sharePercent: number;
}

/** Rows per analyzer status (none before the first analysis). */
export function statusRows(scores: readonly ScoreRow[], analysedAt: Date | undefined): StatusRow[] {
  if (!analysedAt) return [];
  return [...statusCounts(scores)].map(([status, n]) => ({
    status,
    count: n,
    sharePercent: scores.length ? (100 * n) / scores.length : 0,
  }));
}

const NOT_YET = 'Not available yet: the analyzer has not completed an analysis since the service started.';

export function scoreDistributionTable(analysedAt: Date | undefined): DualTable<StatusRow> {
  return {
    name: 'score_distribution',
    title: 'Score distribution',
    columns: [
      {
        name: 'status',
        type: 'string',
        machine: (r) => r.status,
        title: 'Status',
        kind: 'text',
        human: (r) => r.status.toUpperCase(),
      },
      countColumn('gpu_count', 'GPUs', (r) => r.count),
      quantityColumn('share_percent', 'Share (%)', (r) => r.sharePercent, { per: 1, digits: 1 }, 1),
    ],
    note: analysedAt
      ? `Analysis completed ${analysedAt.toISOString()}; one row per GPU or MIG instance (per pod when time-sliced).`
      : NOT_YET,
    humanNote: analysedAt
      ? 'The analyzer\u2019s current status per GPU or MIG instance (per pod when time-sliced), as gpuScores answers.'
      : NOT_YET,
  };
}

interface RankedIdleGpu {
  readonly rank: number;
  readonly gpu: IdleGpu;
}

/** The most wasteful idle GPUs, ranked. */
export const topIdleRows = (totals: ReportTotals): RankedIdleGpu[] =>
  totals.idleGpus.slice(0, TOP_IDLE_GPUS).map((gpu, i) => ({ rank: i + 1, gpu }));

export function topIdleTable(totals: ReportTotals): DualTable<RankedIdleGpu> {
  const idle = totals.idleGpus.length;
  return {
    name: 'top_idle_gpus',
    title: 'Top idle GPUs',
    columns: [
      countColumn('rank', 'Rank', (r) => r.rank),
      textColumn('gpu_id', 'GPU', (r) => r.gpu.id),
      textColumn('cluster', 'Cluster', (r) => r.gpu.cluster),
      textColumn('node', 'Node', (r) => r.gpu.node),
      { name: 'model', type: 'string', machine: (r) => r.gpu.model },
      textColumn('namespace', 'Namespace', (r) => r.gpu.namespace ?? null),
      textColumn('pod', 'Pod', (r) => r.gpu.pod ?? null),
      quantityColumn('idle_seconds', 'Idle time (h)', (r) => r.gpu.idleSeconds, {
        per: SECONDS_PER_HOUR,
        digits: 2,
      }),
      quantityColumn(
        'idle_percent',
        'Idle (% of range)',
        (r) => (100 * r.gpu.idleSteps) / r.gpu.steps,
        { per: 1, digits: 1 },
        1,
      ),
      joulesColumn('wasted_energy_joules', 'Idle energy (kWh)', (r) => r.gpu.wastedEnergyJoules),
    ],
    ...(idle ? {} : { note: 'No GPU was idle in this range.' }),
    humanNote: idle
      ? `The ${Math.min(TOP_IDLE_GPUS, idle)} GPUs with the most energy used while idle, of ${idle} idle at some point.`
      : 'No GPU was idle in this range.',
  };
}

/** GPU power per namespace; people also get the idle time and energy of the namespace's GPUs. */
export const POWER_BY_NAMESPACE: DualTable<NamespacePower> = {
  name: 'power_by_namespace',
  title: 'Power by namespace',
  columns: [
    textColumn('cluster', 'Cluster', (n) => n.cluster),
    textColumn('namespace', 'Namespace', (n) => n.namespace ?? '(unallocated)'),
    countColumn('gpu_count', 'GPUs', (n) => n.gpuCount),
    wattsColumn('average_power_watts', 'Average power (kW)', (n) => n.averagePowerWatts),
    wattsColumn('peak_power_watts', 'Peak power (kW)', (n) => n.peakPowerWatts),
    joulesColumn('energy_joules', 'Energy (kWh)', (n) => n.energyJoules, 2),
    { title: 'Idle GPU time (h)', kind: 'fixed', digits: 2, human: (n) => n.idleSeconds / SECONDS_PER_HOUR },
    {
      title: 'Idle energy (kWh)',
      kind: 'fixed',
      digits: 2,
      human: (n) => n.idleEnergyJoules / JOULES_PER_KWH,
    },
  ],
};
