import type { INestApplication } from '@nestjs/common';
import { FleetModel, type Scenario } from '@kcloud/fleet-sim';
import { startFleetSim } from '../../apps/fleet-sim/src/server';
import { loadConfig } from '@kcloud/common';
import { createApp } from '../../apps/api/src/bootstrap';
import { startPrometheus, type RunningPrometheus, type ScrapeJob, waitForSeries } from './prometheus';

/** How a cluster's Prometheus scrapes dcgm-exporter: the two shapes seen in the field (METRICS.md §0). */
export type ScrapeShape = 'plain' | 'exported';

export interface StackCluster {
  readonly name: string;
  readonly shape: ScrapeShape;
  readonly hostnameLabel?: 'Hostname' | 'hostname';
}

export interface Stack {
  readonly model: FleetModel;
  readonly app: INestApplication;
  readonly url: string;
  readonly prometheus: Readonly<Record<string, RunningPrometheus>>;
  close(): Promise<void>;
}

/** The Kubernetes target labels a ServiceMonitor attaches to a dcgm-exporter scrape. */
export const EXPORTER_TARGET_LABELS = {
  namespace: 'gpu-operator',
  pod: 'nvidia-dcgm-exporter-x7k2p',
  container: 'nvidia-dcgm-exporter',
};

export function scrapeJobsFor(cluster: StackCluster, simHostPort: string): ScrapeJob[] {
  return [
    {
      jobName: `dcgm-${cluster.name}`,
      targets: [simHostPort],
      metricsPath: `/metrics/${cluster.name}/dcgm`,
      honorLabels: cluster.shape === 'plain',
      labels: cluster.shape === 'exported' ? EXPORTER_TARGET_LABELS : {},
    },
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
        const prom = await startPrometheus(scrapeJobsFor(c, `127.0.0.1:${sims[i].port}`));
        prometheus[c.name] = prom;
        closers.push(() => prom.stop());
        await prom.waitForTargets(2);
        await waitForSeries(prom.url, 'DCGM_FI_DEV_FB_USED', model.gpus(c.name).length);
      }),
    );
    const config = loadConfig({
      PORT: '0',
      LOG_LEVEL: 'warn',
      PROMETHEUS_CLUSTERS: JSON.stringify(
        clusters.map((c) => ({ name: c.name, url: prometheus[c.name].url, timeoutMs: 5000 })),
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
