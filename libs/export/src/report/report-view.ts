import type { Cell, ExportDocument, ExportSection, Row } from '../table';
import {
  type ChartSpec,
  fleetPowerChart,
  idleByNamespaceChart,
  pueChart,
  statusDistributionChart,
  topWastersChart,
} from './charts';
import { reportTables } from './report-sections';
import { linesByName } from './time-lines';
import * as tables from './report-tables';
import { idleDefinition } from './idle-rule';
import { type ReportInput, statusCounts } from './report-input';
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
export interface HumanTable extends Omit<ExportSection, 'columns'> {
  readonly columns: readonly HumanColumn[];
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
  const [uuid = g.id, instance] = g.id.split('/');
  return `${g.node} · ${uuid.length > 12 ? `${uuid.slice(0, 12)}…` : uuid}${instance ? `/${instance}` : ''}`;
};
const nsLabel = (n: { cluster: string; namespace?: string }): string =>
  `${n.cluster}/${n.namespace ?? '(unallocated)'}`;

function summaryTable(input: ReportInput): HumanTable {
  return {
    name: 'summary',
    title: 'Summary',
    columns: [t('Figure', 'text'), t('Value', 'auto'), t('Unit', 'text')],
    rows: tables.summaryFigures(input).flatMap((f) => (f.human ? [f.human] : [])),
    note: `${input.totals.steps} points every ${input.stepSeconds} s. GPU energy is board power (DCGM) × step; a MIG board counts once.`,
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
    tables: [summaryTable(input), ...reportTables(input).map((t) => t.human())],
  };
}
