import type { ScoreRow } from '../datasets/score-rows.provider';
import { col, DEVICE_ID_COLUMNS, type ExportSection, type Row } from '../table';
import type { ReportTotals } from './report-fold';
import { idleAccountingSection } from './idle-accounting-section';
import { nodePowerSection } from './node-power-section';
import { machineSection } from './dual-table';
import { ENERGY_BY_CLUSTER, ENERGY_BY_NAMESPACE } from './energy-sections';
import { PUE_BY_CLUSTER, pueByCluster } from './pue-section';
import {
  boardPowerNowWatts,
  fleetCounts,
  type ReportInput,
  statusCounts,
  TOP_IDLE_GPUS,
} from './report-input';
import { reportView, type ReportDocument } from './report-view';

export { TOP_IDLE_GPUS };

const rangeSeconds = (i: ReportInput): number => (i.to.getTime() - i.from.getTime()) / 1000;
const round = (v: number, digits = 3): number => Math.round(v * 10 ** digits) / 10 ** digits;

function summary(input: ReportInput): ExportSection {
  const { current, totals } = input;
  const fleet = fleetCounts(current);
  const rows: Row[] = [
    ['clusters', fleet.clusters, 'count'],
    ['nodes', fleet.nodes, 'count'],
    ['gpu_devices', fleet.devices, 'count (GPUs and MIG instances)'],
    ['physical_gpus', fleet.physicalGpus, 'count'],
    ['allocated_devices', fleet.allocatedDevices, 'count'],
    ['power_now', round(boardPowerNowWatts(current)), 'watts'],
    ['average_power', round(totals.averagePowerWatts), 'watts'],
    ['energy', round(totals.energyJoules), 'joules'],
    ['idle_gpu_time', round(totals.idleGpuSeconds / 3600), 'hours'],
    ['idle_energy', round(totals.wastedEnergyJoules), 'joules'],
  ];
  return {
    name: 'summary',
    title: 'Summary',
    columns: [col('metric', 'string'), col('value', 'float'), col('unit', 'string')],
    rows,
    note: `Range ${input.from.toISOString()} – ${input.to.toISOString()}, ${totals.steps} points every ${input.stepSeconds} s; idle means the analyzer's IDLE status, each step judged by its rule.`,
  };
}

function scoreDistribution(scores: readonly ScoreRow[], analysedAt: Date | undefined): ExportSection {
  const columns = [col('status', 'string'), col('gpu_count', 'int'), col('share_percent', 'float')];
  if (!analysedAt)
    return {
      name: 'score_distribution',
      title: 'Score distribution',
      columns,
      rows: [],
      note: 'Not available yet: the analyzer has not completed an analysis since the service started.',
    };
  const counts = statusCounts(scores);
  return {
    name: 'score_distribution',
    title: 'Score distribution',
    columns,
    rows: [...counts].map(
      ([status, n]): Row => [status, n, scores.length ? round((100 * n) / scores.length, 1) : 0],
    ),
    note: `Analysis completed ${analysedAt.toISOString()}; one row per GPU or MIG instance (per pod when time-sliced).`,
  };
}

function topIdle(totals: ReportTotals): ExportSection {
  return {
    name: 'top_idle_gpus',
    title: 'Top idle GPUs',
    columns: [
      col('rank', 'int'),
      ...DEVICE_ID_COLUMNS,
      col('idle_seconds', 'float'),
      col('idle_percent', 'float'),
      col('wasted_energy_joules', 'float'),
    ],
    rows: totals.idleGpus
      .slice(0, TOP_IDLE_GPUS)
      .map(
        (g, i): Row => [
          i + 1,
          g.id,
          g.cluster,
          g.node,
          g.model,
          g.namespace ?? null,
          g.pod ?? null,
          g.idleSeconds,
          round((100 * g.idleSteps) / g.steps, 1),
          round(g.wastedEnergyJoules),
        ],
      ),
    note: totals.idleGpus.length ? undefined : 'No GPU was idle in this range.',
  };
}

function powerByNamespace(totals: ReportTotals): ExportSection {
  return {
    name: 'power_by_namespace',
    title: 'Power by namespace',
    columns: [
      col('cluster', 'string'),
      col('namespace', 'string'),
      col('gpu_count', 'int'),
      col('average_power_watts', 'float'),
      col('peak_power_watts', 'float'),
      col('energy_joules', 'float'),
    ],
    rows: totals.namespaces.map(
      (n): Row => [
        n.cluster,
        n.namespace ?? '(unallocated)',
        n.gpuCount,
        round(n.averagePowerWatts),
        round(n.peakPowerWatts),
        round(n.energyJoules),
      ],
    ),
  };
}

/**
 * The report: fleet totals, score distribution, top idle GPUs by wasted energy and idle time, power by namespace.
 * `sections` keep machine units (the JSON report); `view` is the same figures for people (PDF, xlsx).
 */
export function reportDocument(input: ReportInput): ReportDocument {
  return {
    title: 'kcloud-monitor fleet report',
    subtitle: `${input.from.toISOString()} – ${input.to.toISOString()} · step ${input.stepSeconds} s`,
    sections: [
      summary(input),
      scoreDistribution(input.scores, input.analysedAt),
      topIdle(input.totals),
      powerByNamespace(input.totals),
      ...(input.idleUsage ? [idleAccountingSection(input.idleUsage, rangeSeconds(input))] : []),
      ...(input.nodePower ? [nodePowerSection(input.nodePower)] : []),
      ...(input.unified ? [machineSection(PUE_BY_CLUSTER, pueByCluster(input.unified))] : []),
      ...(input.energy
        ? [
            machineSection(ENERGY_BY_CLUSTER, input.energy.byCluster),
            machineSection(ENERGY_BY_NAMESPACE, input.energy.byNamespace),
          ]
        : []),
    ],
    view: reportView(input),
  };
}
