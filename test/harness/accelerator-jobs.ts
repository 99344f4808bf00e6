import type { GpuExporterKind } from '@kcloud/common';
import type { FleetModel } from '@kcloud/fleet-model';
import type { ScrapeJob } from './prometheus';

/** The scrape shape and target labels of a cluster, as stack.ts defines them. */
export interface AcceleratorScrape {
  readonly cluster: string;
  readonly exported: boolean;
  /** Kubernetes target labels attached in the exported shape (the exporter's colliding labels become exported_*). */
  readonly targetLabels: Readonly<Record<string, string>>;
}

/** The API's gpuExporter for what the simulator runs in the cluster (both all-smi label generations are `all-smi`). */
export function apiGpuExporter(model: FleetModel, cluster: string): GpuExporterKind {
  const runs = model.gpuExporter(cluster);
  return runs === 'all-smi-v0.20' ? 'all-smi' : runs;
}

/**
 * Scrape jobs for the cluster's alternative GPU exporter and its NPU exporters. all-smi and the NPU exporters name
 * their host, so one per-cluster body each will do; nvidia_gpu_exporter does not, so it is scraped per node with a
 * `node` target label, as a Kubernetes scrape relabels `__meta_kubernetes_pod_node_name`.
 */
export function acceleratorScrapeJobs(
  s: AcceleratorScrape,
  model: FleetModel,
  simHostPort: string,
): ScrapeJob[] {
  const jobs: ScrapeJob[] = [];
  const shaped = (jobName: string, metricsPath: string): ScrapeJob => ({
    jobName,
    targets: [simHostPort],
    metricsPath,
    honorLabels: !s.exported,
    labels: s.exported ? s.targetLabels : {},
  });
  const exporter = apiGpuExporter(model, s.cluster);
  if (exporter === 'all-smi') jobs.push(shaped(`all-smi-${s.cluster}`, `/metrics/${s.cluster}/all-smi`));
  // The nvidia_gpu_* family names its node itself (`node`), so one body per cluster will do.
  if (exporter === 'nvidia-gpu')
    jobs.push(shaped(`nvidia-gpu-${s.cluster}`, `/metrics/${s.cluster}/nvidia-gpu`));
  if (exporter === 'nvidia-smi') {
    const nodes = model.nodes(s.cluster).filter((n) => n.gpuCount > 0);
    jobs.push({
      jobName: `nvidia-smi-${s.cluster}`,
      targets: [simHostPort],
      metricsPath: `/metrics/${s.cluster}/nvidia-smi`,
      honorLabels: !s.exported,
      targetGroups: nodes.map((n) => ({
        targets: [simHostPort],
        labels: { __metrics_path__: `/metrics/${s.cluster}/nvidia-smi/${n.name}`, node: n.name },
      })),
    });
  }
  // all-smi lists the cards of an `npuExporter: all-smi` cluster in its own body: no vendor exporter runs there.
  const vendors = new Set(
    model.npuExporter(s.cluster) === 'all-smi' ? [] : model.npus(s.cluster).map((n) => n.vendor),
  );
  if (vendors.has('furiosa')) jobs.push(shaped(`furiosa-${s.cluster}`, `/metrics/${s.cluster}/furiosa`));
  if (vendors.has('rebellions')) jobs.push(shaped(`rbln-${s.cluster}`, `/metrics/${s.cluster}/rbln`));
  return jobs;
}

/** Instant queries and the series count each must reach before the cluster's accelerator data is in Prometheus. */
export function acceleratorSeriesWaits(model: FleetModel, cluster: string): { query: string; min: number }[] {
  const waits: { query: string; min: number }[] = [];
  const physical = new Set(model.gpus(cluster).map((g) => g.uuid)).size;
  const exporter = apiGpuExporter(model, cluster);
  const npus = model.npus(cluster);
  if (exporter === 'all-smi' && model.npuExporter(cluster) === 'all-smi')
    return [{ query: 'all_smi_gpu_info', min: physical + npus.length }];
  if (exporter === 'all-smi') waits.push({ query: 'all_smi_gpu_info', min: physical });
  if (exporter === 'nvidia-smi') waits.push({ query: 'nvidia_smi_gpu_info', min: physical });
  if (exporter === 'nvidia-gpu') waits.push({ query: 'nvidia_gpu_used_memory_bytes', min: physical });
  if (exporter === 'dcgm') waits.push({ query: 'DCGM_FI_DEV_FB_USED', min: model.gpus(cluster).length });
  const furiosa = npus.filter((n) => n.vendor === 'furiosa').length;
  const rbln = npus.length - furiosa;
  if (furiosa) waits.push({ query: 'furiosa_npu_alive', min: furiosa });
  if (rbln) waits.push({ query: '{__name__="RBLN_DEVICE_STATUS:HEALTH"}', min: rbln });
  return waits;
}

/** Targets a job list scrapes (a job with target groups scrapes one target per group). */
export function targetCount(jobs: readonly ScrapeJob[]): number {
  return jobs.reduce((n, j) => n + (j.targetGroups ? j.targetGroups.length : j.targets.length), 0);
}
