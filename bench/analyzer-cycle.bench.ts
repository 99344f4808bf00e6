// Issue 3: one analysis cycle over 10,000 simulated GPUs through real Prometheus (2 clusters × 5,000, per-cluster
// dcgm targets, the simulator in its own process), PromQL requests per cycle at 100 and 10,000 GPUs, and in the same
// run the seed monitor's way (one query per metric per GPU, 8 in flight) on 1,000 GPUs, for the ratio. The cycle time
// is the analyzer's own measure (gpu_analysis_duration_seconds): read, score, install the results.
import 'reflect-metadata';
import { join } from 'node:path';
import { AnalysisCycle } from '@kcloud/analyzer';
import { loadConfig } from '@kcloud/common';
import { FleetModel, generateScenario } from '@kcloud/fleet-model';
import { ClusterRegistry, eq, type PrometheusClient, rangeFn, selector } from '@kcloud/prometheus';
import { createApp } from '../apps/api/src/bootstrap';
import { pollUntil } from '../test/harness/poll';
import { startPrometheus, type RunningPrometheus, waitForSeries } from '../test/harness/prometheus';
import { scrapeJobsFor, startStack } from '../test/harness/stack';
import { median, record, timeMs } from './lib';
import { startSimProcess } from './sim-process';
import { at } from '../test/harness/indexed';

const CYCLES = 15;
const WINDOW_SECONDS = 600;
// A 10-minute window at a 30 s scrape holds 20 samples per series; 5 s scrapes for 100 s give the same depth.
const SCRAPE_SECONDS = 5;
const COLLECT_SECONDS = 100;
const BASELINE_GPUS = 1000;
const BASELINE_IN_FLIGHT = 8;
// The seed read these per GPU: util, memory copy, framebuffer used, power, SM clock.
const SEED_METRICS = [
  'DCGM_FI_DEV_GPU_UTIL',
  'DCGM_FI_DEV_MEM_COPY_UTIL',
  'DCGM_FI_DEV_FB_USED',
  'DCGM_FI_DEV_POWER_USAGE',
  'DCGM_FI_DEV_SM_CLOCK',
];

async function main(): Promise<void> {
  const small = await requestsPerCycleAt100();
  const scenarioFile = join(__dirname, '..', 'libs/fleet-model/scenarios/bench-10k.yaml');
  // The same deterministic model as the simulator's, for names and UUIDs only.
  const model = FleetModel.fromFile(scenarioFile);
  const clusters = model.clusters();
  const sim = await startSimProcess(scenarioFile);
  const proms: RunningPrometheus[] = [];
  try {
    for (const name of clusters) {
      const jobs = scrapeJobsFor({ name, shape: 'exported' }, `127.0.0.1:${sim.port}`).map((j) => ({
        ...j,
        scrapeIntervalSeconds: SCRAPE_SECONDS,
      }));
      const prom = await startPrometheus(jobs, { scrapeIntervalSeconds: SCRAPE_SECONDS });
      proms.push(prom);
      await prom.waitForTargets(2, 120_000);
      await waitForSeries(prom.url, 'DCGM_FI_DEV_FB_USED', model.gpus(name).length, 120_000);
    }
    const collectUntil = Date.now() + COLLECT_SECONDS * 1000;
    await pollUntil('window data', async () => (Date.now() > collectUntil ? true : undefined), {
      timeoutMs: COLLECT_SECONDS * 1000 + 10_000,
      intervalMs: 1000,
    });

    const configWith = (constantsTtlSeconds: number) =>
      loadConfig({
        PORT: '0',
        LOG_LEVEL: 'error',
        ANALYZER_ENABLED: 'false',
        ANALYZER_WINDOW_SECONDS: String(WINDOW_SECONDS),
        ANALYZER_CONSTANTS_TTL_SECONDS: String(constantsTtlSeconds),
        PROMETHEUS_TIMEOUT_MS: '60000',
        PROMETHEUS_CLUSTERS: JSON.stringify(
          clusters.map((name, i) => ({ name, url: proms[i]!.url, timeoutMs: 60000 })), // one Prometheus per cluster
        ),
      });
    // The cost of a cycle that also re-reads the device constants (every 5 minutes by default; every cycle with 0).
    const refreshCycleMs = await cycleMedianMs(configWith(0), 5);
    const app = await createApp(configWith(300));
    await app.init();
    try {
      const cycle = app.get(AnalysisCycle);
      const registry = app.get(ClusterRegistry);
      let requests = 0;
      const off = registry.onRequest(() => requests++);
      // First cycle: connections, JIT, and the device constants (capacity, reservation, power limit) of every GPU.
      const first = await cycle.run('manual');
      const firstCycleRequests = requests;
      const durations: number[] = [];
      let perCycle = 0;
      let gpuCount = 0;
      for (let i = 0; i < CYCLES; i++) {
        requests = 0;
        const outcome = await cycle.run('manual');
        durations.push(outcome!.run.durationSeconds * 1000);
        perCycle = requests;
        gpuCount = outcome!.run.gpuCount;
      }
      off();

      const firstCluster = at(clusters, 0, 'cluster');
      const baselineMs = await timeMs(() =>
        perGpuBaseline(registry.client(firstCluster), model, firstCluster),
      );
      const cycleMs = median(durations);
      const baselineFor10k = (baselineMs * gpuCount) / BASELINE_GPUS;
      record('analyzer-cycle', {
        gpus: gpuCount,
        clusters: clusters.length,
        windowSeconds: WINDOW_SECONDS,
        samplesPerSeriesInWindow: Math.floor(COLLECT_SECONDS / SCRAPE_SECONDS),
        promqlRequestsPerCycleAt100Gpus: small,
        promqlRequestsPerCycleAt10kGpus: perCycle,
        promqlRequestsPerClusterPerCycle: perCycle / clusters.length,
        promqlRequestsFirstCycleAt10kGpus: firstCycleRequests,
        firstCycleMs: Math.round(first!.run.durationSeconds * 1000),
        constantsRefreshCycleMedianMs: Math.round(refreshCycleMs),
        cycles: CYCLES,
        cycleMedianMs: Math.round(cycleMs),
        cycleMinMs: Math.round(Math.min(...durations)),
        cycleMaxMs: Math.round(Math.max(...durations)),
        baseline: `${SEED_METRICS.length} avg_over_time queries per GPU, ${BASELINE_IN_FLIGHT} in flight`,
        baselineGpus: BASELINE_GPUS,
        baselineRequests: BASELINE_GPUS * SEED_METRICS.length,
        baselineMs: Math.round(baselineMs),
        baselineExtrapolatedTo10kMs: Math.round(baselineFor10k),
        speedupVsBaselineAt10k: Math.round((baselineFor10k / cycleMs) * 10) / 10,
        perGpuSpeedup: Math.round((baselineMs / BASELINE_GPUS / (cycleMs / gpuCount)) * 10) / 10,
      });
    } finally {
      await app.close();
    }
  } finally {
    for (const p of proms) await p.stop();
    await sim.stop();
  }
}

async function cycleMedianMs(config: ReturnType<typeof loadConfig>, cycles: number): Promise<number> {
  const app = await createApp(config);
  await app.init();
  try {
    const cycle = app.get(AnalysisCycle);
    await cycle.run('manual');
    const durations: number[] = [];
    for (let i = 0; i < cycles; i++) durations.push((await cycle.run('manual'))!.run.durationSeconds * 1000);
    return median(durations);
  } finally {
    await app.close();
  }
}

/**
 * Requests of a steady cycle (device constants cached) for a 100-GPU cluster: must equal the per-cluster count at
 * 5,000 GPUs.
 */
async function requestsPerCycleAt100(): Promise<number> {
  const scenario = generateScenario({ clusters: 1, nodesPerCluster: 25, gpusPerNode: 4, seed: 3 });
  const stack = await startStack(
    scenario,
    [{ name: at(scenario.clusters, 0, 'cluster').name, shape: 'exported' }],
    {
      LOG_LEVEL: 'error',
      ANALYZER_ENABLED: 'false',
    },
  );
  try {
    const cycle = stack.app.get(AnalysisCycle);
    await cycle.run('manual');
    let requests = 0;
    const off = stack.app.get(ClusterRegistry).onRequest(() => requests++);
    const outcome = await cycle.run('manual');
    off();
    if (outcome?.run.gpuCount !== 100) throw new Error(`expected 100 GPUs, scored ${outcome?.run.gpuCount}`);
    return requests;
  } finally {
    await stack.close();
  }
}

/** The seed monitor's access pattern: every metric of every GPU is its own query, 8 at a time. */
async function perGpuBaseline(client: PrometheusClient, model: FleetModel, cluster: string): Promise<void> {
  const uuids = model
    .gpus(cluster)
    .slice(0, BASELINE_GPUS)
    .map((g) => g.uuid);
  const work = uuids.flatMap((uuid) =>
    SEED_METRICS.map((metric) =>
      rangeFn('avg_over_time', selector(metric, [eq('UUID', uuid)]), WINDOW_SECONDS),
    ),
  );
  let next = 0;
  await Promise.all(
    Array.from({ length: BASELINE_IN_FLIGHT }, async () => {
      while (next < work.length) await client.instant(work[next++]!);
    }),
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${String(e instanceof Error ? e.stack : e)}\n`);
    process.exit(1);
  },
);
