import { fleetPower, type FleetModel } from '@kcloud/fleet-model';
import type { ScrapeJob } from './prometheus';

/**
 * How a cluster's Prometheus scrapes the power side of the simulator. Defaults: Kepler ≥ 0.10 as one per-cluster body
 * (its series name their node), ipmi_exporter per BMC with `instance` = the BMC address (its documented remote-mode
 * relabeling; the API then needs IPMI_BMC_NODE_MAP, see `bmcNodeMap`), and the facility meter.
 */
export interface PowerScrape {
  /** `v0.10-nodes`: one Kepler ≥0.10 target per node; `v0.7`: old names, per node, `instance` = node (Kepler's ServiceMonitor relabeling). */
  readonly kepler?: 'v0.10' | 'v0.10-nodes' | 'v0.7' | false;
  /** `bmc`: instance = BMC address; `local`: instance = `<node>:9290` (exporter on the node); false: not scraped. */
  readonly ipmi?: 'bmc' | 'local' | false;
  readonly facility?: boolean;
}

/** Target labels a Kubernetes ServiceMonitor attaches to the Kepler DaemonSet's scrape. */
const KEPLER_TARGET_LABELS = {
  namespace: 'kepler',
  pod: 'kepler-exporter-9xk2q',
  container: 'kepler-exporter',
};

export function powerScrapeJobs(
  cluster: string,
  scrape: PowerScrape,
  exported: boolean,
  model: FleetModel,
  simHostPort: string,
): ScrapeJob[] {
  const jobs: ScrapeJob[] = [];
  const nodes = model.nodes(cluster).map((n) => n.name);
  const base = {
    targets: [simHostPort],
    honorLabels: !exported,
    labels: exported ? KEPLER_TARGET_LABELS : {},
  };
  const perNode = (path: string, labels: (node: string) => Record<string, string>) =>
    nodes.map((node) => ({
      targets: [simHostPort],
      labels: { __metrics_path__: `/metrics/${cluster}/${path}/${node}`, ...labels(node) },
    }));
  const kepler = scrape.kepler ?? 'v0.10';
  if (kepler === 'v0.10')
    jobs.push({ ...base, jobName: `kepler-${cluster}`, metricsPath: `/metrics/${cluster}/kepler` });
  if (kepler === 'v0.10-nodes')
    jobs.push({
      ...base,
      jobName: `kepler-${cluster}`,
      metricsPath: `/metrics/${cluster}/kepler`,
      targetGroups: perNode('kepler', () => (exported ? KEPLER_TARGET_LABELS : {})),
    });
  if (kepler === 'v0.7')
    jobs.push({
      ...base,
      jobName: `kepler-${cluster}`,
      metricsPath: `/metrics/${cluster}/kepler-v0.7`,
      targetGroups: perNode('kepler-v0.7', (node) => ({ instance: node })),
    });
  const ipmi = scrape.ipmi ?? 'bmc';
  if (ipmi) {
    const power = fleetPower(model);
    const instance = (node: string): string =>
      ipmi === 'bmc' ? power.bmcAddressOf(cluster, node)! : `${node}:9290`;
    jobs.push({
      jobName: `ipmi-${cluster}`,
      targets: [simHostPort],
      metricsPath: `/metrics/${cluster}/ipmi`,
      honorLabels: false,
      targetGroups: perNode('ipmi', (node) => ({ instance: instance(node) })),
    });
  }
  if (scrape.facility ?? true)
    jobs.push({
      jobName: `facility-${cluster}`,
      targets: [simHostPort],
      metricsPath: `/metrics/${cluster}/facility`,
      honorLabels: false,
    });
  return jobs;
}

/** Queries that must reach a series count before the cluster's power data is usable (rate() needs two scrapes). */
export function powerSeriesWaits(
  cluster: string,
  scrape: PowerScrape,
  model: FleetModel,
): { query: string; min: number }[] {
  const nodes = model.nodes(cluster).length;
  const waits: { query: string; min: number }[] = [];
  const kepler = scrape.kepler ?? 'v0.10';
  if (kepler === 'v0.7') waits.push({ query: 'rate(kepler_node_package_joules_total[10s])', min: nodes * 2 });
  else if (kepler)
    waits.push({ query: 'rate(kepler_node_cpu_joules_total{zone="package"}[10s])', min: nodes });
  if (scrape.ipmi ?? 'bmc') waits.push({ query: 'ipmi_dcmi_power_consumption_watts', min: nodes });
  if (scrape.facility ?? true) waits.push({ query: 'facility_power_watts', min: 1 });
  return waits;
}

/** IPMI_BMC_NODE_MAP for every cluster of the model: BMC address → node. */
export function bmcNodeMap(model: FleetModel): Record<string, string> {
  const power = fleetPower(model);
  return Object.fromEntries(
    model.clusters().flatMap((c) => model.nodes(c).map((n) => [power.bmcAddressOf(c, n.name)!, n.name])),
  );
}
