import type { FleetModel } from '@kcloud/fleet-sim';

/**
 * The scrape targets the simulator serves. dcgm-exporter runs as a DaemonSet, so each node is a target
 * (`scope: 'node'`); for large benchmarks a whole cluster's GPUs are also served as one body (`scope: 'cluster'`).
 * Scrape one or the other for a cluster, never both (the series would be duplicated under two targets).
 */
export interface FleetSimTarget {
  readonly cluster: string;
  readonly exporter: 'dcgm' | 'kube-state-metrics';
  readonly scope: 'node' | 'cluster';
  readonly node?: string;
  readonly path: string;
}

export function dcgmNodePath(cluster: string, node: string): string {
  return `/metrics/${encodeURIComponent(cluster)}/dcgm/${encodeURIComponent(node)}`;
}

export function dcgmClusterPath(cluster: string): string {
  return `/metrics/${encodeURIComponent(cluster)}/dcgm`;
}

export function kubeStateMetricsPath(cluster: string): string {
  return `/metrics/${encodeURIComponent(cluster)}/kube-state-metrics`;
}

export function listTargets(model: FleetModel): FleetSimTarget[] {
  return model.clusters().flatMap((cluster) => [
    ...model.nodes(cluster).map(
      (n): FleetSimTarget => ({
        cluster,
        exporter: 'dcgm',
        scope: 'node',
        node: n.name,
        path: dcgmNodePath(cluster, n.name),
      }),
    ),
    { cluster, exporter: 'dcgm', scope: 'cluster', path: dcgmClusterPath(cluster) },
    { cluster, exporter: 'kube-state-metrics', scope: 'cluster', path: kubeStateMetricsPath(cluster) },
  ]);
}

/** One entry of Prometheus' HTTP service discovery response (`http_sd_configs`). */
export interface HttpSdGroup {
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Targets in Prometheus HTTP-SD form: `__metrics_path__` per target lets one scrape job cover every node. `dcgmScope`
 * picks per-node (the DaemonSet shape, default) or per-cluster dcgm targets.
 */
export function httpSdGroups(
  targets: readonly FleetSimTarget[],
  hostPort: string,
  dcgmScope: 'node' | 'cluster' = 'node',
): HttpSdGroup[] {
  return targets
    .filter((t) => t.exporter !== 'dcgm' || t.scope === dcgmScope)
    .map((t) => ({
      targets: [hostPort],
      labels: {
        __metrics_path__: t.path,
        cluster: t.cluster,
        exporter: t.exporter,
        ...(t.node ? { node: t.node } : {}),
      },
    }));
}
