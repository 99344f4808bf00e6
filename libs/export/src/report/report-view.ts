import type { ScoreRow } from '../datasets/score-rows.provider';
import type { Cell, ExportDocument, Row } from '../table';
import {
  type ChartSpec,
  fleetPowerChart,
  idleByNamespaceChart,
  pueChart,
  statusDistributionChart,
  topWastersChart,
} from './charts';
import { idleAccountingTable } from './idle-accounting-section';
import { nodePowerTable } from './node-power-section';
import { humanTable } from './dual-table';
import { ENERGY_BY_CLUSTER, ENERGY_BY_NAMESPACE } from './energy-sections';
import { PUE_BY_CLUSTER, pueByCluster } from './pue-section';
import { linesByName } from './time-lines';
import { idleDefinition } from './idle-rule';
import {
  boardPowerNowWatts,
  fleetCounts,
  type ReportInput,
  statusCounts,
  TOP_IDLE_GPUS,
} from './report-input';
import type { ReportTotals } from './report-fold';
import { reportSentences } from './report-sentences';
import { formatNumber, formatTime, hours, kilowattHours, kilowatts } from './units';

const formatStep = (s: number): string =>
  s % 3600 === 0
    ? `${formatNumber(s / 3600)} h`
    : s % 60 === 0
      ? `${formatNumber(s / 60)} min`
      : `${formatNumber(s)} s`;

/** How a column reads: text, a count, a number with fixed decimals, a time, or decimals chosen per value. */
export type HumanKind = 'text' | 'count' | 'fixed' | 'time' | 'auto';

export interface HumanColumn {
  /** Titled, with the unit in brackets: "Energy (kWh)". */
  readonly title: string;
  readonly kind: HumanKind;
  /** Decimals for `fixed`. */
  readonly digits?: number;
}

/** A table for people: values already in human units (kWh, kW, h, %), formatted by the writer per column kind. */
export interface HumanTable {
  readonly name: string;
  readonly title: string;
  readonly columns: readonly HumanColumn[];
  readonly rows: readonly Row[];
  readonly note?: string;
}

export interface ReportChart {
  readonly spec: ChartSpec;
  /** Rows in the sheet of chart data: series, category, time, value, unit. */
  readonly data: readonly Row[];
}

export interface ReportView {
  /** The range and step in words, for the PDF's title block. */
  readonly subtitle: string;
  readonly sentences: readonly string[];
  readonly idleDefinition: string;
  readonly charts: readonly ReportChart[];
  readonly tables: readonly HumanTable[];
}

/** The report document: machine sections (JSON) plus the view PDF and xlsx render. */
export interface ReportDocument extends ExportDocument {
  readonly view: ReportView;
}

export function isReportDocument(document: ExportDocument): document is ReportDocument {
  return 'view' in document;
}

export const TOP_WASTER_BARS = 10;
export const CHART_DATA_COLUMNS: readonly HumanColumn[] = [
  { title: 'Chart', kind: 'text' },
  { title: 'Series', kind: 'text' },
  { title: 'Category', kind: 'text' },
  { title: 'Time (UTC)', kind: 'time' },
  { title: 'Value', kind: 'auto' },
  { title: 'Unit', kind: 'text' },
];

const t = (title: string, kind: HumanKind, digits?: number): HumanColumn => ({ title, kind, digits });
/** "node-1 · GPU-1e93…/2": node, the UUID's start and the MIG instance, so two instances of one board differ. */
const wasterLabel = (g: { node: string; id: string }): string => {
  const [uuid, instance] = g.id.split('/');
  return `${g.node} · ${uuid.length > 12 ? `${uuid.slice(0, 12)}…` : uuid}${instance ? `/${instance}` : ''}`;
};
const nsLabel = (n: { cluster: string; namespace?: string }): string =>
  `${n.cluster}/${n.namespace ?? '(unallocated)'}`;

function summaryTable(input: ReportInput): HumanTable {
  const { current, totals } = input;
  const fleet = fleetCounts(current);
  const rows: Row[] = [
    ['Clusters', fleet.clusters, ''],
    ['Nodes', fleet.nodes, ''],
    ['GPU devices (GPUs and MIG instances)', fleet.devices, ''],
    ['Physical GPUs', fleet.physicalGpus, ''],
    ['Allocated devices', fleet.allocatedDevices, ''],
    ['GPU power now', kilowatts(boardPowerNowWatts(current)), 'kW'],
    ['Average GPU power', kilowatts(totals.averagePowerWatts), 'kW'],
    ['GPU energy', kilowattHours(totals.energyJoules), 'kWh'],
    ['GPUs idle for most of the range', totals.mostlyIdle.count, ''],
    ['Idle GPU time', hours(totals.idleGpuSeconds), 'h'],
    ['Idle energy', kilowattHours(totals.wastedEnergyJoules), 'kWh'],
    [
      'Idle share of GPU energy',
      totals.energyJoules ? (100 * totals.wastedEnergyJoules) / totals.energyJoules : 0,
      '%',
    ],
  ];
  return {
    name: 'summary',
    title: 'Summary',
    columns: [t('Figure', 'text'), t('Value', 'auto'), t('Unit', 'text')],
    rows,
    note: `${totals.steps} points every ${input.stepSeconds} s. GPU energy is board power (DCGM) × step; a MIG board counts once.`,
  };
}

function statusTable(scores: readonly ScoreRow[], analysedAt: Date | undefined): HumanTable {
  const counts = statusCounts(scores);
  return {
    name: 'score_distribution',
    title: 'Score distribution',
    columns: [t('Status', 'text'), t('GPUs', 'count'), t('Share (%)', 'fixed', 1)],
    rows: analysedAt
      ? [...counts].map(([s, n]): Row => [s.toUpperCase(), n, scores.length ? (100 * n) / scores.length : 0])
      : [],
    note: analysedAt
      ? 'The analyzer\u2019s current status per GPU or MIG instance (per pod when time-sliced), as gpuScores answers.'
      : 'Not available yet: the analyzer has not completed an analysis since the service started.',
  };
}

function idleTable(totals: ReportTotals): HumanTable {
  return {
    name: 'top_idle_gpus',
    title: 'Top idle GPUs',
    columns: [
      t('Rank', 'count'),
      t('GPU', 'text'),
      t('Cluster', 'text'),
      t('Node', 'text'),
      t('Namespace', 'text'),
      t('Pod', 'text'),
      t('Idle time (h)', 'fixed', 2),
      t('Idle (% of range)', 'fixed', 1),
      t('Idle energy (kWh)', 'fixed', 3),
    ],
    rows: totals.idleGpus
      .slice(0, TOP_IDLE_GPUS)
      .map(
        (g, i): Row => [
          i + 1,
          g.id,
          g.cluster,
          g.node,
          g.namespace ?? null,
          g.pod ?? null,
          hours(g.idleSeconds),
          (100 * g.idleSteps) / g.steps,
          kilowattHours(g.wastedEnergyJoules),
        ],
      ),
    note: totals.idleGpus.length
      ? `The ${Math.min(TOP_IDLE_GPUS, totals.idleGpus.length)} GPUs with the most energy used while idle, of ${totals.idleGpus.length} idle at some point.`
      : 'No GPU was idle in this range.',
  };
}

function namespaceTable(totals: ReportTotals): HumanTable {
  return {
    name: 'power_by_namespace',
    title: 'Power by namespace',
    columns: [
      t('Cluster', 'text'),
      t('Namespace', 'text'),
      t('GPUs', 'count'),
      t('Average power (kW)', 'fixed', 2),
      t('Peak power (kW)', 'fixed', 2),
      t('Energy (kWh)', 'fixed', 2),
      t('Idle GPU time (h)', 'fixed', 2),
      t('Idle energy (kWh)', 'fixed', 2),
    ],
    rows: totals.namespaces.map(
      (n): Row => [
        n.cluster,
        n.namespace ?? '(unallocated)',
        n.gpuCount,
        kilowatts(n.averagePowerWatts),
        kilowatts(n.peakPowerWatts),
        kilowattHours(n.energyJoules),
        hours(n.idleSeconds),
        kilowattHours(n.idleEnergyJoules),
      ],
    ),
  };
}

function charts(input: ReportInput): ReportChart[] {
  const { totals } = input;
  const data = (
    chart: string,
    series: string,
    category: string | null,
    time: Date | null,
    value: number,
    unit: string,
  ): Row => [chart, series, category, time, value, unit] satisfies Cell[];
  const out: ReportChart[] = [];

  if (input.analysedAt) {
    const counts = [...statusCounts(input.scores)].map(([s, count]) => ({ status: s.toUpperCase(), count }));
    out.push({
      spec: statusDistributionChart(counts),
      data: counts.map((c) => data('GPUs by analyzer status', 'GPUs', c.status, null, c.count, 'GPUs')),
    });
  }

  const series = linesByName(totals.clusterPower, (p) => [p.cluster, p.timestampMs, kilowatts(p.powerWatts)]);
  if (series.length)
    out.push({
      spec: fleetPowerChart(series),
      data: series.flatMap((s) =>
        s.points.map(([ms, kw]) => data('GPU power per cluster', s.name, null, new Date(ms), kw, 'kW')),
      ),
    });

  // PUE per step by the pue query's rule; no line for a cluster without a value (no facility source, no IPMI).
  const pue = linesByName(input.unified ?? [], (s) =>
    s.pue.value === null ? undefined : [s.cluster, s.at, s.pue.value],
  );
  if (pue.length)
    out.push({
      spec: pueChart(pue),
      data: pue.flatMap((s) =>
        s.points.map(([ms, v]) => data('PUE over time', s.name, null, new Date(ms), v, 'PUE')),
      ),
    });

  const idleNs = totals.namespaces
    .filter((n) => n.idleSeconds > 0)
    .sort((a, b) => b.idleEnergyJoules - a.idleEnergyJoules)
    .map((n) => ({
      label: nsLabel(n),
      idleHours: hours(n.idleSeconds),
      idleKilowattHours: kilowattHours(n.idleEnergyJoules),
    }));
  out.push({
    spec: idleByNamespaceChart(idleNs),
    data: idleNs.flatMap((n) => [
      data('Idle by namespace', 'Idle GPU-hours', n.label, null, n.idleHours, 'h'),
      data('Idle by namespace', 'Idle energy', n.label, null, n.idleKilowattHours, 'kWh'),
    ]),
  });

  const wasters = totals.idleGpus.slice(0, TOP_WASTER_BARS).map((g) => ({
    label: wasterLabel(g),
    idleKilowattHours: kilowattHours(g.wastedEnergyJoules),
    id: g.id,
  }));
  out.push({
    spec: topWastersChart(wasters),
    data: wasters.map((w) => data('Top wasters', 'Idle energy', w.id, null, w.idleKilowattHours, 'kWh')),
  });
  return out;
}

export function reportView(input: ReportInput): ReportView {
  return {
    subtitle: `${formatTime(input.from)} – ${formatTime(input.to)} · one point every ${formatStep(input.stepSeconds)}`,
    sentences: reportSentences(input),
    idleDefinition: idleDefinition(input.scoring),
    charts: charts(input),
    tables: [
      summaryTable(input),
      statusTable(input.scores, input.analysedAt),
      idleTable(input.totals),
      namespaceTable(input.totals),
      ...(input.idleUsage
        ? [idleAccountingTable(input.idleUsage, (input.to.getTime() - input.from.getTime()) / 1000)]
        : []),
      ...(input.nodePower ? [nodePowerTable(input.nodePower)] : []),
      ...(input.unified ? [humanTable(PUE_BY_CLUSTER, pueByCluster(input.unified))] : []),
      ...(input.energy
        ? [
            humanTable(ENERGY_BY_CLUSTER, input.energy.byCluster),
            humanTable(ENERGY_BY_NAMESPACE, input.energy.byNamespace),
          ]
        : []),
    ],
  };
}
