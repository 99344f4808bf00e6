import type { INestApplication } from '@nestjs/common';
import { FleetModel, type Scenario } from '@kcloud/fleet-model';
import { startFleetSim } from '../../apps/fleet-sim/src/server';
import { type GpuExporterKind, loadConfig } from '@kcloud/common';
import { createApp } from '../../apps/api/src/bootstrap';
import { startPrometheus, type RunningPrometheus, type ScrapeJob, waitForSeries } from './prometheus';
import {
  acceleratorScrapeJobs,
  acceleratorSeriesWaits,
  apiGpuExporter,
  targetCount,
} from './accelerator-jobs';
import { type PowerScrape, powerScrapeJobs, powerSeriesWaits } from './power-jobs';
import { hostScrapeJobs, hostSeriesWaits, cadvisorScrapeJobs, cadvisorSeriesWaits } from './host-jobs';

/** How a cluster's Prometheus scrapes dcgm-exporter: the two shapes seen in the field (METRICS.md §0). */
export type ScrapeShape = 'plain' | 'exported';

export interface StackCluster {
  readonly name: string;
  readonly shape: ScrapeShape;
  readonly hostnameLabel?: 'Hostname' | 'hostname';
  /**
   * The API's gpuExporter for the cluster. Default: what the scenario runs there (`gpuExporter`, dcgm if unset); the
   * simulator serves that exporter, so set this only to test a misconfigured API.
   */
  readonly gpuExporter?: GpuExporterKind;
  /** How the power side (Kepler, ipmi_exporter, facility meter) is scraped; default: all of it (see power-jobs.ts). */
  readonly power?: PowerScrape;
  /** PROMETHEUS_CLUSTERS `labels` of the cluster (e.g. platform, datacenter). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Scrape interval (and timeout) of its Prometheus; default 1 s. A 1,000-GPU target needs more on a loaded host. */
  readonly scrapeIntervalSeconds?: number;
  /** Scrape node_exporter on every node (host memory and CPU); off unless a suite reads host metrics. */
  readonly nodeExporter?: boolean;
  /** Scrape the kubelet's cAdvisor on every node (container CPU and memory); off unless a suite reads them. */
  readonly cadvisor?: boolean;
}

export interface Stack {
  readonly model: FleetModel;
  readonly app: INestApplication;
  readonly url: string;
  readonly prometheus: Readonly<Record<string, RunningPrometheus>>;
  close(): Promise<void>;
}

/** The Prometheus scraping `cluster` in a stack, failing with the clusters it has when there is none. */
export function prometheusOf(stack: Pick<Stack, 'prometheus'>, cluster: string): RunningPrometheus {
  const prom = stack.prometheus[cluster];
  if (!prom)
    throw new Error(`no Prometheus for cluster ${cluster} (stack has ${Object.keys(stack.prometheus)})`);
  return prom;
}

/** The Kubernetes target labels a ServiceMonitor attaches to a dcgm-exporter scrape. */
export const EXPORTER_TARGET_LABELS = {
  namespace: 'gpu-operator',
  pod: 'nvidia-dcgm-exporter-x7k2p',
  container: 'nvidia-dcgm-exporter',
};

export function scrapeJobsFor(cluster: StackCluster, simHostPort: string, model?: FleetModel): ScrapeJob[] {
  const dcgm = !model || model.gpuExporter(cluster.name) === 'dcgm';
  const accelerators = model
    ? acceleratorScrapeJobs(
        {
          cluster: cluster.name,
          exported: cluster.shape === 'exported',
          targetLabels: EXPORTER_TARGET_LABELS,
        },
        model,
        simHostPort,
      )
    : [];
  const dcgmJob: ScrapeJob = {
    jobName: `dcgm-${cluster.name}`,
    targets: [simHostPort],
    metricsPath: `/metrics/${cluster.name}/dcgm`,
    honorLabels: cluster.shape === 'plain',
    labels: cluster.shape === 'exported' ? EXPORTER_TARGET_LABELS : {},
  };
  const power = model
    ? powerScrapeJobs(cluster.name, cluster.power ?? {}, cluster.shape === 'exported', model, simHostPort)
    : [];
  const host = model && cluster.nodeExporter ? hostScrapeJobs(cluster.name, model, simHostPort) : [];
  const cadvisor = model && cluster.cadvisor ? cadvisorScrapeJobs(cluster.name, model, simHostPort) : [];
  return [
    ...(dcgm ? [dcgmJob] : []),
    ...accelerators,
    ...power,
    ...host,
    ...cadvisor,
    {
      jobName: `ksm-${cluster.name}`,
      targets: [simHostPort],
      metricsPath: `/metrics/${cluster.name}/kube-state-metrics`,
      honorLabels: true,
    },
  ];
}

/**
 * The real path end to end: the fleet simulator serving exporter text, one real Prometheus per cluster scraping it
 * (in the scrape shape asked for), and the API configured with PROMETHEUS_CLUSTERS pointing at them.
 */
export async function startStack(
  scenario: Scenario,
  clusters: readonly StackCluster[],
  env: Record<string, string> = {},
): Promise<Stack> {
  const model = new FleetModel(scenario);
  const sims = await Promise.all(
    clusters.map((c) => startFleetSim({ model, port: 0, hostnameLabel: c.hostnameLabel ?? 'Hostname' })),
  );
  const prometheus: Record<string, RunningPrometheus> = {};
  const closers: (() => Promise<void>)[] = sims.map((s) => () => s.close());
  try {
    await Promise.all(
      clusters.map(async (c, i) => {
        const jobs = scrapeJobsFor(c, `127.0.0.1:${sims[i]!.port}`, model); // one simulator per cluster
        const prom = await startPrometheus(jobs, { scrapeIntervalSeconds: c.scrapeIntervalSeconds });
        prometheus[c.name] = prom;
        closers.push(() => prom.stop());
        await prom.waitForTargets(targetCount(jobs));
        for (const { query, min } of acceleratorSeriesWaits(model, c.name))
          await waitForSeries(prom.url, query, min);
        for (const { query, min } of powerSeriesWaits(c.name, c.power ?? {}, model))
          await waitForSeries(prom.url, query, min);
        if (c.nodeExporter)
          for (const { query, min } of hostSeriesWaits(c.name, model))
            await waitForSeries(prom.url, query, min);
        if (c.cadvisor)
          for (const { query, min } of cadvisorSeriesWaits(c.name, model))
            await waitForSeries(prom.url, query, min);
      }),
    );
    const config = loadConfig({
      PORT: '0',
      LOG_LEVEL: 'warn',
      PROMETHEUS_CLUSTERS: JSON.stringify(
        clusters.map((c) => ({
          name: c.name,
          url: prometheus[c.name]!.url, // every cluster's Prometheus started above
          timeoutMs: 5000,
          gpuExporter: c.gpuExporter ?? apiGpuExporter(model, c.name),
          ...(c.power?.kepler === 'v0.7' ? { keplerVersion: 'v0.7' } : {}),
          ...(c.labels ? { labels: c.labels } : {}),
        })),
      ),
      PROMETHEUS_RETRIES: '0',
      ...env,
    });
    const app = await createApp(config);
    await app.listen(0, '127.0.0.1');
    closers.push(() => app.close());
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    return {
      model,
      app,
      url,
      prometheus,
      async close() {
        for (const close of closers.reverse()) await close().catch(() => undefined);
      },
    };
  } catch (e) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw e;
  }
}
