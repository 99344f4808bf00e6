import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as histogram from '@grafana/grafana-foundation-sdk/histogram';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

/** Every panel reads the dashboard's Prometheus data source variable. */
export const DS: common.DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/** The variables every dashboard has: the data source, the API's job, the clusters (a global view's `cluster`). */
export function withCommonVariables(d: dashboard.DashboardBuilder): dashboard.DashboardBuilder {
  return d
    .withVariable(
      new dashboard.DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'),
    )
    .withVariable(
      new dashboard.ConstantVariableBuilder('job')
        .value('kcloud-monitor')
        .description('The `job` label of the API scrape (the chart and docker-compose set kcloud-monitor)'),
    )
    .withVariable(
      new dashboard.QueryVariableBuilder('cluster')
        .label('Cluster')
        .datasource(DS)
        .query('label_values(gpu_utilization_score{job="$job"}, cluster)')
        .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
        .multi(true)
        .includeAll(true)
        .allValue('.*'),
    );
}

function query(expr: string, legend = '', instant = false): prometheus.DataqueryBuilder {
  const q = new prometheus.DataqueryBuilder()
    .expr(expr)
    .legendFormat(legend || '__auto')
    .datasource(DS);
  return instant ? q.instant().format(prometheus.PromQueryFormat.Table) : q.range();
}

interface Target {
  readonly expr: string;
  readonly legend?: string;
}

type Grid = { readonly x: number; readonly y: number; readonly w: number; readonly h: number };

export function timeSeries(
  title: string,
  unit: string,
  targets: readonly Target[],
  grid: Grid,
  stacked = false,
): cog.Builder<dashboard.Panel> {
  const p = new timeseries.PanelBuilder().title(title).unit(unit).datasource(DS).gridPos(grid);
  targets.forEach((t, i) => p.withTarget(query(t.expr, t.legend).refId(String.fromCharCode(65 + i))));
  if (stacked)
    p.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal)).fillOpacity(40);
  return p;
}

export function statPanel(
  title: string,
  unit: string,
  expr: string,
  grid: Grid,
): cog.Builder<dashboard.Panel> {
  return new stat.PanelBuilder()
    .title(title)
    .unit(unit)
    .datasource(DS)
    .gridPos(grid)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']))
    .withTarget(query(expr).refId('A'));
}

export function barGauge(
  title: string,
  unit: string,
  expr: string,
  legend: string,
  grid: Grid,
): cog.Builder<dashboard.Panel> {
  return new bargauge.PanelBuilder()
    .title(title)
    .unit(unit)
    .datasource(DS)
    .gridPos(grid)
    .orientation(common.VizOrientation.Horizontal)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']))
    .withTarget(query(expr, legend).refId('A'));
}

export function tablePanel(
  title: string,
  unit: string,
  expr: string,
  grid: Grid,
): cog.Builder<dashboard.Panel> {
  return new table.PanelBuilder()
    .title(title)
    .unit(unit)
    .datasource(DS)
    .gridPos(grid)
    .withTarget(query(expr, '', true).refId('A'));
}

export function histogramPanel(title: string, expr: string, grid: Grid): cog.Builder<dashboard.Panel> {
  return new histogram.PanelBuilder()
    .title(title)
    .datasource(DS)
    .gridPos(grid)
    .bucketSize(10)
    .withTarget(query(expr, '', true).refId('A'));
}

export function row(title: string, y: number): cog.Builder<dashboard.RowPanel> {
  return new dashboard.RowBuilder(title).gridPos({ x: 0, y, w: 24, h: 1 });
}
