import { fleetPower } from '@kcloud/fleet-model';
import type { FleetModel } from '@kcloud/fleet-model';

import { acceleratorTargets, type AcceleratorExporter } from './accelerator-targets';
import type { PowerExporter } from './power-targets';

/**
 * The scrape targets the simulator serves. dcgm-exporter runs as a DaemonSet, so each node is a target
 * (`scope: 'node'`); for large benchmarks a whole cluster's GPUs are also served as one body (`scope: 'cluster'`).
 * Scrape one or the other for a cluster, never both (the series would be duplicated under two targets).
 */
export interface FleetSimTarget {
  readonly cluster: string;
  readonly exporter: 'dcgm' | 'kube-state-metrics' | PowerExporter | AcceleratorExporter;
  readonly scope: 'node' | 'cluster';
  readonly node?: string;
  readonly path: string;
  /** Target labels the scrape must set, e.g. `instance` = the BMC address for an ipmi_exporter target. */
  readonly labels?: Readonly<Record<string, string>>;
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
  return model
    .clusters()
    .flatMap((cluster) => [
      ...dcgmTargets(model, cluster),
      { cluster, exporter: 'kube-state-metrics', scope: 'cluster', path: kubeStateMetricsPath(cluster) },
      ...powerTargets(model, cluster),
      ...acceleratorTargets(model, cluster),
    ]);
}

/** dcgm-exporter runs on the GPU nodes of clusters whose scenario keeps the default GPU exporter. */
function dcgmTargets(model: FleetModel, cluster: string): FleetSimTarget[] {
  if (model.gpuExporter(cluster) !== 'dcgm') return [];
  return [
    ...model
      .nodes(cluster)
      .filter((n) => n.gpuCount > 0)
      .map(
        (n): FleetSimTarget => ({
          cluster,
          exporter: 'dcgm',
          scope: 'node',
          node: n.name,
          path: dcgmNodePath(cluster, n.name),
        }),
      ),
    { cluster, exporter: 'dcgm', scope: 'cluster', path: dcgmClusterPath(cluster) },
  ];
}

export function powerTargetPath(cluster: string, exporter: PowerExporter, node?: string): string {
  const base = `/metrics/${encodeURIComponent(cluster)}/${exporter}`;
  return node === undefined ? base : `${base}/${encodeURIComponent(node)}`;
}

/**
 * Kepler (≥ 0.10 and ≤ 0.7 names: scrape one of the two per cluster) and ipmi_exporter run per node; ipmi targets
 * carry `instance` = the BMC address, as ipmi_exporter's documented remote-mode relabeling sets it. The facility
 * meter is one target per cluster. The per-cluster Kepler body (`powerTargetPath(c, 'kepler')`) is served but not
 * listed, like the per-cluster dcgm body it is an alternative to the per-node targets.
 */
function powerTargets(model: FleetModel, cluster: string): FleetSimTarget[] {
  const power = fleetPower(model);
  return [
    ...model.nodes(cluster).flatMap((n): FleetSimTarget[] => [
      {
        cluster,
        exporter: 'kepler',
        scope: 'node',
        node: n.name,
        path: powerTargetPath(cluster, 'kepler', n.name),
      },
      {
        cluster,
        exporter: 'kepler-v0.7',
        scope: 'node',
        node: n.name,
        path: powerTargetPath(cluster, 'kepler-v0.7', n.name),
      },
      {
        cluster,
        exporter: 'ipmi',
        scope: 'node',
        node: n.name,
        path: powerTargetPath(cluster, 'ipmi', n.name),
        labels: { instance: power.bmcAddressOf(cluster, n.name) ?? n.name },
      },
    ]),
    { cluster, exporter: 'facility', scope: 'cluster', path: powerTargetPath(cluster, 'facility') },
  ];
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
        ...t.labels,
      },
    }));
}
