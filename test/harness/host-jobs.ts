import type { FleetModel } from '@kcloud/fleet-model';
import type { ScrapeJob } from './prometheus';

/**
 * node_exporter per node, as a DaemonSet's ServiceMonitor scrapes it: one target per host with `instance` =
 * `<node>:9100` (the exporter names no node; the API takes the node from `instance` without its port).
 */
export function hostScrapeJobs(cluster: string, model: FleetModel, simHostPort: string): ScrapeJob[] {
  return [
    {
      jobName: `node-exporter-${cluster}`,
      targets: [simHostPort],
      metricsPath: `/metrics/${cluster}/node-exporter`,
      honorLabels: false,
      targetGroups: model.nodes(cluster).map((n) => ({
        targets: [simHostPort],
        labels: {
          __metrics_path__: `/metrics/${cluster}/node-exporter/${n.name}`,
          instance: `${n.name}:9100`,
        },
      })),
    },
  ];
}

/** rate() over node_cpu_seconds_total needs two scrapes of every host. */
export function hostSeriesWaits(cluster: string, model: FleetModel): { query: string; min: number }[] {
  return [
    { query: 'rate(node_cpu_seconds_total{mode="idle",cpu="0"}[10s])', min: model.nodes(cluster).length },
  ];
}

/** The kubelet's cAdvisor per node (kube-prometheus' kubelet ServiceMonitor, path /metrics/cadvisor), `instance` = the node. */
export function cadvisorScrapeJobs(cluster: string, model: FleetModel, simHostPort: string): ScrapeJob[] {
  return [
    {
      jobName: `kubelet-cadvisor-${cluster}`,
      targets: [simHostPort],
      metricsPath: `/metrics/${cluster}/cadvisor`,
      honorLabels: true,
      targetGroups: model.nodes(cluster).map((n) => ({
        targets: [simHostPort],
        labels: { __metrics_path__: `/metrics/${cluster}/cadvisor/${n.name}`, instance: n.name },
      })),
    },
  ];
}

/** rate() over container_cpu_usage_seconds_total needs two scrapes of every running pod's container. */
export function cadvisorSeriesWaits(cluster: string, model: FleetModel): { query: string; min: number }[] {
  return [
    {
      query: 'rate(container_cpu_usage_seconds_total{container!="",container!="POD"}[10s])',
      min: model.pods(cluster).filter((p) => p.phase === 'Running').length,
    },
  ];
}
