import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import {
  barGauge,
  histogramPanel,
  row,
  statPanel,
  tablePanel,
  timeSeries,
  withCommonVariables,
} from './panels';

/**
 * The Grafana dashboards as code (`npm run dashboards`): built with @grafana/grafana-foundation-sdk and written to
 * deploy/grafana/dashboards (provisioning, docker-compose) and charts/kcloud-monitor/dashboards (the chart's
 * ConfigMap for the Grafana sidecar). test/dashboards.e2e-spec.ts runs every query against a real Prometheus.
 *
 * Selectors: `job="$job"` for the API's own series; `cluster=~"$cluster"` everywhere (on a global Prometheus the
 * exporters' series carry the cluster label; the API's carry it in their labels).
 */
const API = 'job="$job"';
const CL = 'cluster=~"$cluster"';

function base(uid: string, title: string, tags: string[]): dashboard.DashboardBuilder {
  return withCommonVariables(
    new dashboard.DashboardBuilder(title)
      .uid(uid)
      .tags(['kcloud-monitor', ...tags])
      .refresh('1m')
      .time({ from: 'now-6h', to: 'now' })
      .timezone('browser')
      .tooltip(dashboard.DashboardCursorSync.Crosshair),
  );
}

export function fleetDashboard(): dashboard.DashboardBuilder {
  return base('kcloud-fleet', 'kcloud-monitor / GPU fleet utilisation', ['gpu'])
    .withPanel(statPanel('GPUs analysed', 'none', `max(gpu_total_count{${API}})`, { x: 0, y: 0, w: 6, h: 4 }))
    .withPanel(
      statPanel('Average score', 'none', `max(gpu_average_score{${API}})`, { x: 6, y: 0, w: 6, h: 4 }),
    )
    .withPanel(statPanel('Idle GPUs', 'none', `max(gpu_idle_count{${API}})`, { x: 12, y: 0, w: 6, h: 4 }))
    .withPanel(
      statPanel('Idle or low GPUs', 'none', `max(gpu_low_utilization_count{${API}})`, {
        x: 18,
        y: 0,
        w: 6,
        h: 4,
      }),
    )
    .withRow(row('Score distribution', 4))
    .withPanel(
      histogramPanel('Score distribution (0–100, buckets of 10)', `gpu_utilization_score{${API}, ${CL}}`, {
        x: 0,
        y: 5,
        w: 12,
        h: 8,
      }),
    )
    .withPanel(
      timeSeries(
        'GPUs by status',
        'none',
        [{ expr: `count by (status) (gpu_utilization_score{${API}, ${CL}})`, legend: '{{status}}' }],
        { x: 12, y: 5, w: 12, h: 8 },
        true,
      ),
    )
    .withPanel(
      timeSeries(
        'Score trend by namespace',
        'none',
        [
          { expr: `max by (namespace) (gpu_namespace_average_score{${API}})`, legend: '{{namespace}}' },
          { expr: `max(gpu_average_score{${API}})`, legend: 'fleet' },
        ],
        { x: 0, y: 13, w: 24, h: 8 },
      ),
    )
    .withRow(row('Idle GPUs', 21))
    .withPanel(
      barGauge(
        'Idle GPUs by namespace',
        'none',
        `count by (cluster, namespace) (gpu_utilization_score{${API}, ${CL}, status="idle", namespace!=""})`,
        '{{cluster}} / {{namespace}}',
        { x: 0, y: 22, w: 12, h: 8 },
      ),
    )
    .withPanel(
      barGauge(
        'Idle GPU-hours in the time range by namespace',
        'h',
        `sum by (cluster, namespace) (count_over_time(gpu_utilization_score{${API}, ${CL}, status="idle", namespace!=""}[$__range:$__interval])) * $__interval_ms / 3600000`,
        '{{cluster}} / {{namespace}}',
        { x: 12, y: 22, w: 12, h: 8 },
      ),
    )
    .withPanel(
      tablePanel(
        'Idle and low GPUs: minutes idle in the time range',
        'm',
        `sort_desc(count_over_time(gpu_utilization_score{${API}, ${CL}, status=~"idle|low"}[$__range:$__interval]) * $__interval_ms / 60000)`,
        { x: 0, y: 30, w: 24, h: 10 },
      ),
    );
}

export function powerDashboard(): dashboard.DashboardBuilder {
  return base('kcloud-power', 'kcloud-monitor / Power and PUE', ['power'])
    .withPanel(
      timeSeries(
        'GPU power by cluster (analyzer window average)',
        'watt',
        [{ expr: `sum by (cluster) (gpu_power_usage_watts{${API}, ${CL}})`, legend: '{{cluster}}' }],
        { x: 0, y: 0, w: 12, h: 8 },
        true,
      ),
    )
    .withPanel(
      timeSeries(
        'GPU power by namespace',
        'watt',
        [
          {
            expr: `sum by (cluster, namespace) (gpu_power_usage_watts{${API}, ${CL}, namespace!=""})`,
            legend: '{{cluster}} / {{namespace}}',
          },
        ],
        { x: 12, y: 0, w: 12, h: 8 },
        true,
      ),
    )
    .withPanel(
      timeSeries(
        'Board power (dcgm-exporter) by cluster',
        'watt',
        [{ expr: `sum by (cluster) (DCGM_FI_DEV_POWER_USAGE{${CL}})`, legend: '{{cluster}}' }],
        { x: 0, y: 8, w: 12, h: 8 },
      ),
    )
    .withPanel(
      timeSeries(
        'Pod power (Kepler, CPU + GPU) by namespace',
        'watt',
        [
          {
            expr: `sum by (cluster, pod_namespace) (kepler_pod_cpu_watts{${CL}}) + on (cluster, pod_namespace) group_left sum by (cluster, pod_namespace) (kepler_pod_gpu_watts{${CL}})`,
            legend: '{{cluster}} / {{pod_namespace}}',
          },
        ],
        { x: 12, y: 8, w: 12, h: 8 },
        true,
      ),
    )
    .withPanel(
      timeSeries(
        'PUE (facility meter / Kepler platform power)',
        'none',
        [
          {
            expr: `sum by (cluster) (facility_power_watts{${CL}}) / sum by (cluster) (kepler_platform_watts{${CL}})`,
            legend: '{{cluster}}',
          },
        ],
        { x: 0, y: 16, w: 12, h: 8 },
      ),
    )
    .withPanel(
      timeSeries(
        'Facility and IT power',
        'watt',
        [
          { expr: `sum by (cluster) (facility_power_watts{${CL}})`, legend: '{{cluster}} facility' },
          { expr: `sum by (cluster) (kepler_platform_watts{${CL}})`, legend: '{{cluster}} IT (platform)' },
        ],
        { x: 12, y: 16, w: 12, h: 8 },
      ),
    );
}

export function serviceDashboard(): dashboard.DashboardBuilder {
  return base('kcloud-service', 'kcloud-monitor / Service health', ['api'])
    .withRow(row('Analyzer', 0))
    .withPanel(
      statPanel(
        'Since the last successful cycle',
        's',
        `time() - max(kcloud_analyzer_last_success_timestamp_seconds{${API}})`,
        { x: 0, y: 1, w: 6, h: 4 },
      ),
    )
    .withPanel(
      statPanel('Replicas leading', 'none', `sum(kcloud_analyzer_leader{${API}})`, {
        x: 6,
        y: 1,
        w: 6,
        h: 4,
      }),
    )
    .withPanel(
      timeSeries(
        'Cycles and failed cycles',
        'ops',
        [
          { expr: `sum(rate(gpu_analysis_total{${API}}[$__rate_interval]))`, legend: 'cycles' },
          { expr: `sum(rate(gpu_analysis_errors_total{${API}}[$__rate_interval]))`, legend: 'failed' },
          { expr: `sum(rate(gpu_analysis_skipped_total{${API}}[$__rate_interval]))`, legend: 'skipped' },
        ],
        { x: 12, y: 1, w: 12, h: 8 },
      ),
    )
    .withPanel(
      timeSeries(
        'Cycle duration p95',
        's',
        [
          {
            expr: `histogram_quantile(0.95, sum by (le) (rate(gpu_analysis_duration_seconds_bucket{${API}}[$__rate_interval])))`,
            legend: 'p95',
          },
        ],
        { x: 0, y: 5, w: 12, h: 4 },
      ),
    )
    .withRow(row('Upstream Prometheus', 9))
    .withPanel(
      timeSeries(
        'Cluster reachable (1) per replica',
        'none',
        [{ expr: `kcloud_upstream_up{${API}, ${CL}}`, legend: '{{cluster}} {{instance}}' }],
        { x: 0, y: 10, w: 12, h: 8 },
      ),
    )
    .withPanel(
      timeSeries(
        'Prometheus query duration p95',
        's',
        [
          {
            expr: `histogram_quantile(0.95, sum by (le) (rate(prometheus_query_duration_seconds_bucket{${API}}[$__rate_interval])))`,
            legend: 'p95',
          },
        ],
        { x: 12, y: 10, w: 12, h: 8 },
      ),
    )
    .withRow(row('API', 18))
    .withPanel(
      timeSeries(
        'Requests by status',
        'reqps',
        [
          {
            expr: `sum by (status) (rate(api_requests_total{${API}}[$__rate_interval]))`,
            legend: '{{status}}',
          },
        ],
        { x: 0, y: 19, w: 12, h: 8 },
        true,
      ),
    )
    .withPanel(
      timeSeries(
        'Error ratio',
        'percentunit',
        [
          {
            expr: `sum(rate(api_errors_total{${API}}[$__rate_interval])) / sum(rate(api_requests_total{${API}}[$__rate_interval]))`,
            legend: 'errors / requests',
          },
        ],
        { x: 12, y: 19, w: 12, h: 8 },
      ),
    )
    .withPanel(
      timeSeries(
        'Request latency p50 / p95',
        's',
        [
          {
            expr: `histogram_quantile(0.5, sum by (le) (rate(api_request_duration_seconds_bucket{${API}}[$__rate_interval])))`,
            legend: 'p50',
          },
          {
            expr: `histogram_quantile(0.95, sum by (le) (rate(api_request_duration_seconds_bucket{${API}}[$__rate_interval])))`,
            legend: 'p95',
          },
        ],
        { x: 0, y: 27, w: 12, h: 8 },
      ),
    )
    .withPanel(
      tablePanel('Builds running', 'none', `count by (version, revision) (kcloud_build_info{${API}})`, {
        x: 12,
        y: 27,
        w: 12,
        h: 8,
      }),
    );
}

export const DASHBOARDS = {
  'kcloud-fleet.json': fleetDashboard,
  'kcloud-power.json': powerDashboard,
  'kcloud-service.json': serviceDashboard,
};

if (require.main === module) {
  const root = join(__dirname, '..', '..');
  for (const dir of [
    join(root, 'deploy', 'grafana', 'dashboards'),
    join(root, 'charts', 'kcloud-monitor', 'dashboards'),
  ]) {
    mkdirSync(dir, { recursive: true });
    for (const [file, build] of Object.entries(DASHBOARDS))
      writeFileSync(join(dir, file), JSON.stringify(build().build(), null, 2) + '\n');
  }
}
