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

export function statusDistributionChart(counts: readonly StatusCount[]): ChartSpec {
  const title = 'GPUs by analyzer status (now)';
  return {
    id: 'status_distribution',
    title,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    option: {
      ...base(title),
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
    },
  };
}

export function fleetPowerChart(series: readonly TimeSeries[]): ChartSpec {
  const title = 'GPU power per cluster (kW)';
  return {
    id: 'fleet_power',
    title,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    option: {
      ...base(title),
      legend: { bottom: 0, data: series.map((s) => s.name) },
      grid: { left: 50, right: 20, top: 40, bottom: 50 },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', name: 'kW' },
      series: series.map((s) => ({
        type: 'line',
        name: s.name,
        showSymbol: s.points.length < 3,
        lineStyle: { width: 1.5 },
        data: s.points.map(([t, v]) => [t, v]),
      })),
    },
  };
}

export function idleByNamespaceChart(rows: readonly NamespaceIdle[]): ChartSpec {
  const title = 'Idle GPU-hours and idle energy by namespace';
  const height = Math.max(CHART_HEIGHT, 115 + rows.length * 26);
  return {
    id: 'idle_by_namespace',
    title,
    width: CHART_WIDTH,
    height,
    option: {
      ...base(title),
      legend: { bottom: 0, data: ['Idle GPU-hours', 'Idle energy (kWh)'] },
      grid: { left: 130, right: 30, top: 60, bottom: 55 },
      yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.label), axisLabel: { width: 120, overflow: 'truncate' } },
      xAxis: [
        { type: 'value', name: 'h', position: 'bottom' },
        { type: 'value', name: 'kWh', position: 'top', splitLine: { show: false } },
      ],
      series: [
        { type: 'bar', name: 'Idle GPU-hours', xAxisIndex: 0, data: rows.map((r) => round(r.idleHours)) },
        { type: 'bar', name: 'Idle energy (kWh)', xAxisIndex: 1, data: rows.map((r) => round(r.idleKilowattHours)) },
      ],
    },
  };
}

export function topWastersChart(rows: readonly Waster[]): ChartSpec {
  const title = 'Top wasters: energy used while idle (kWh)';
  const height = Math.max(CHART_HEIGHT, 50 + rows.length * 20);
  return {
    id: 'top_wasters',
    title,
    width: CHART_WIDTH,
    height,
    option: {
      ...base(title),
      grid: { left: 170, right: 50, top: 35, bottom: 30 },
      yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.label), axisLabel: { width: 165, overflow: 'truncate' } },
      xAxis: { type: 'value', name: 'kWh' },
      series: [
        {
          type: 'bar',
          itemStyle: { color: STATUS_COLORS.IDLE },
          label: { show: true, position: 'right' },
          data: rows.map((r) => round(r.idleKilowattHours)),
        },
      ],
    },
  };
}

export function pueChart(series: readonly TimeSeries[]): ChartSpec {
  const title = 'PUE over time';
  return {
    id: 'pue',
    title,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    option: {
      ...base(title),
      legend: { bottom: 0, data: series.map((s) => s.name) },
      grid: { left: 50, right: 20, top: 40, bottom: 50 },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', name: 'PUE', min: 1 },
      series: series.map((s) => ({ type: 'line', name: s.name, showSymbol: false, data: s.points.map(([t, v]) => [t, v]) })),
    },
  };
}

const round = (v: number): number => Math.round(v * 100) / 100;
