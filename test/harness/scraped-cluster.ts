import type { FleetModel } from '@kcloud/fleet-model';
import { startFleetSim, type RunningFleetSim } from '../../apps/fleet-sim/src/server';
import { type RunningPrometheus, startPrometheus } from './prometheus';
import { scrapeJobsFor } from './stack';

export interface ScrapedCluster {
  readonly sim: RunningFleetSim;
  readonly prometheus: RunningPrometheus;
  /** Stops Prometheus, then the simulator. */
  close(): Promise<void>;
}

/**
 * The simulator and one real Prometheus scraping one of its clusters plainly (dcgm-exporter and kube-state-metrics,
 * no power exporters), its targets up: the live cluster of a suite that configures the API by hand beside a broken one.
 */
export async function startScrapedCluster(model: FleetModel, cluster: string): Promise<ScrapedCluster> {
  const sim = await startFleetSim({ model, port: 0 });
  try {
    const jobs = scrapeJobsFor(
      { name: cluster, shape: 'plain', power: { ipmi: false } },
      `127.0.0.1:${sim.port}`,
    );
    const prometheus = await startPrometheus(jobs);
    await prometheus.waitForTargets(jobs.length);
    return {
      sim,
      prometheus,
      async close() {
        await prometheus.stop();
        await sim.close();
      },
    };
  } catch (e) {
    await sim.close();
    throw e;
  }
}
