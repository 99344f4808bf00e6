import type { FleetModel } from '@kcloud/fleet-model';
import { startFleetSim, type RunningFleetSim } from '../../apps/fleet-sim/src/server';
import { apiGpuExporter } from './accelerator-jobs';
import { type RunningApp, startApp } from './app';
import { type RunningPrometheus, type ScrapeJob, startPrometheus, waitForSeries } from './prometheus';
import { scrapeJobsFor } from './stack';

/** Every scrape of one cluster carries `cluster="<name>"`, as a global VictoriaMetrics/Thanos setup does. */
export function withClusterLabel(jobs: readonly ScrapeJob[], cluster: string): ScrapeJob[] {
  return jobs.map((j) => ({
    ...j,
    jobName: j.jobName.includes(cluster) ? j.jobName : `${j.jobName}-${cluster}`,
    labels: { ...(j.labels ?? {}), cluster },
    targetGroups: j.targetGroups?.map((g) => ({ ...g, labels: { ...g.labels, cluster } })),
  }));
}

export interface GlobalView {
  readonly sim: RunningFleetSim;
  /** The one Prometheus-compatible server the API reads. */
  readonly backend: RunningPrometheus;
  readonly api: RunningApp;
  /** The clusters scraped (the scenario's dcgm clusters) and the labelled scrape jobs. */
  readonly clusters: readonly string[];
  readonly jobs: readonly ScrapeJob[];
  close(): Promise<void>;
}

/**
 * A global view: the simulator's dcgm clusters scraped by one Prometheus-compatible server (Prometheus unless told
 * otherwise), each scrape labelled `cluster`, and the API pointed at that server alone with CLUSTER_LABEL=cluster.
 * Resolves once every target is up and every cluster has GPU series.
 */
export async function startGlobalView(
  model: FleetModel,
  {
    startBackend = startPrometheus,
    env = {},
  }: {
    startBackend?: (jobs: readonly ScrapeJob[]) => Promise<RunningPrometheus>;
    env?: Readonly<Record<string, string>>;
  } = {},
): Promise<GlobalView> {
  const clusters = model.clusters().filter((c) => apiGpuExporter(model, c) === 'dcgm');
  const sim = await startFleetSim({ model, port: 0 });
  const closers: (() => Promise<unknown>)[] = [() => sim.close()];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    const jobs = clusters.flatMap((c) =>
      withClusterLabel(
        scrapeJobsFor({ name: c, shape: 'plain', power: { ipmi: false } }, `127.0.0.1:${sim.port}`, model),
        c,
      ),
    );
    const backend = await startBackend(jobs);
    closers.push(() => backend.stop());
    await backend.waitForTargets(jobs.length);
    for (const c of clusters) await waitForSeries(backend.url, `DCGM_FI_DEV_GPU_UTIL{cluster="${c}"}`, 1);
    const api = await startApp({
      LOG_LEVEL: 'error',
      PROMETHEUS_URL: backend.url,
      CLUSTER_LABEL: 'cluster',
      PROMETHEUS_RETRIES: '0',
      ...env,
    });
    closers.push(() => api.app.close());
    return { sim, backend, api, clusters, jobs, close };
  } catch (e) {
    await close();
    throw e;
  }
}
