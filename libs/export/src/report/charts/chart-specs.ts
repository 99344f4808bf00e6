import type { EChartsOption } from 'echarts';

/**
 * Report charts as data → ECharts option, pure and Nest-free so the fleet page can share them. Values arrive in the
 * unit they are drawn in (kW, kWh, hours); the caller converts from watts and joules.
 */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly width: number;
  readonly height: number;
  readonly option: EChartsOption;
}

export interface StatusCount {
  /** IDLE, LOW, NORMAL, HIGH, UNKNOWN. */
  readonly status: string;
  readonly count: number;
}

export interface TimeSeries {
  readonly name: string;
  /** [epoch ms, value] in time order. */
  readonly points: readonly (readonly [number, number])[];
}

export interface NamespaceIdle {
  readonly label: string;
  readonly idleHours: number;
  readonly idleKilowattHours: number;
}

export interface Waster {
  readonly label: string;
  readonly idleKilowattHours: number;
}

export const CHART_WIDTH = 520;
export const CHART_HEIGHT = 220;

export const STATUS_COLORS: Readonly<Record<string, string>> = {
  IDLE: '#9e9e9e',
  LOW: '#f9a825',
  NORMAL: '#43a047',
  HIGH: '#1e88e5',
  UNKNOWN: '#6d4c41',
};
const PALETTE = ['#1e88e5', '#e53935', '#43a047', '#8e24aa', '#fb8c00', '#00897b', '#3949ab', '#6d4c41'];

// No animation, tooltips or hover layers: one static frame is all a document can hold.
const base = (title: string): EChartsOption => ({
  animation: false,
  color: PALETTE,
  backgroundColor: '#ffffff',
  title: { text: title, left: 'center', textStyle: { fontSize: 13, fontWeight: 'bold' } },
  textStyle: { fontFamily: 'Roboto, sans-serif' },
});

/** The envelope every chart shares: the static base, the id and title, the document size. */
function chart(id: string, title: string, option: EChartsOption, height = CHART_HEIGHT): ChartSpec {
  return { id, title, width: CHART_WIDTH, height, option: { ...base(title), ...option } };
}

/** One line per series over time, legend below. */
function timeLines(
  id: string,
  title: string,
  series: readonly TimeSeries[],
  yAxis: EChartsOption['yAxis'],
  line: (s: TimeSeries) => Record<string, unknown>,
): ChartSpec {
  return chart(id, title, {
    legend: { bottom: 0, data: series.map((s) => s.name) },
    grid: { left: 50, right: 20, top: 40, bottom: 50 },
    xAxis: { type: 'time' },
    yAxis,
    series: series.map((s) => ({ type: 'line', name: s.name, ...line(s), data: s.points.map(([t, v]) => [t, v]) })),
  });
}

/** Horizontal bars: one category per row, first row on top, long labels truncated to the left margin. */
const rowAxis = (labels: readonly string[], labelWidth: number): EChartsOption['yAxis'] => ({
  type: 'category',
  inverse: true,
  data: [...labels],
  axisLabel: { width: labelWidth, overflow: 'truncate' },
});

export function statusDistributionChart(counts: readonly StatusCount[]): ChartSpec {
  return chart('status_distribution', 'GPUs by analyzer status (now)', {
    grid: { left: 50, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: counts.map((c) => c.status) },
    yAxis: { type: 'value', name: 'GPUs', minInterval: 1 },
    series: [
      {
        type: 'bar',
        barMaxWidth: 48,
        label: { show: true, position: 'top' },
        data: counts.map((c) => ({ value: c.count, itemStyle: { color: STATUS_COLORS[c.status] ?? '#757575' } })),
      },
    ],
  });
}

export function fleetPowerChart(series: readonly TimeSeries[]): ChartSpec {
  return timeLines('fleet_power', 'GPU power per cluster (kW)', series, { type: 'value', name: 'kW' }, (s) => ({
    showSymbol: s.points.length < 3,
    lineStyle: { width: 1.5 },
  }));
}

export function idleByNamespaceChart(rows: readonly NamespaceIdle[]): ChartSpec {
  const option: EChartsOption = {
    legend: { bottom: 0, data: ['Idle GPU-hours', 'Idle energy (kWh)'] },
    grid: { left: 130, right: 30, top: 60, bottom: 55 },
    yAxis: rowAxis(
      rows.map((r) => r.label),
      120,
    ),
    xAxis: [
      { type: 'value', name: 'h', position: 'bottom' },
      { type: 'value', name: 'kWh', position: 'top', splitLine: { show: false } },
    ],
    series: [
      { type: 'bar', name: 'Idle GPU-hours', xAxisIndex: 0, data: rows.map((r) => round(r.idleHours)) },
      { type: 'bar', name: 'Idle energy (kWh)', xAxisIndex: 1, data: rows.map((r) => round(r.idleKilowattHours)) },
    ],
  };
  const title = 'Idle GPU-hours and idle energy by namespace';
  return chart('idle_by_namespace', title, option, Math.max(CHART_HEIGHT, 115 + rows.length * 26));
}

export function topWastersChart(rows: readonly Waster[]): ChartSpec {
  const option: EChartsOption = {
    grid: { left: 170, right: 50, top: 35, bottom: 30 },
    yAxis: rowAxis(
      rows.map((r) => r.label),
      165,
    ),
    xAxis: { type: 'value', name: 'kWh' },
    series: [
      {
        type: 'bar',
        itemStyle: { color: STATUS_COLORS.IDLE },
        label: { show: true, position: 'right' },
        data: rows.map((r) => round(r.idleKilowattHours)),
      },
    ],
  };
  const title = 'Top wasters: energy used while idle (kWh)';
  return chart('top_wasters', title, option, Math.max(CHART_HEIGHT, 50 + rows.length * 20));
}

export function pueChart(series: readonly TimeSeries[]): ChartSpec {
  return timeLines('pue', 'PUE over time', series, { type: 'value', name: 'PUE', min: 1 }, () => ({ showSymbol: false }));
}

const round = (v: number): number => Math.round(v * 100) / 100;
