import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@kcloud/common';
import { defaultScenario, FleetModel } from '@kcloud/fleet-model';
import { createApp } from '../apps/api/src/bootstrap';
import { startFleetSim, type RunningFleetSim } from '../apps/fleet-sim/src/server';
import { apiGpuExporter } from './harness/accelerator-jobs';
import { apiKeysEnv } from './harness/api-keys';
import { HEADERS, scopesOf, SECRETS } from './harness/auth-fixture';
import { freePort } from './harness/free-port';
import { withClusterLabel } from './harness/global-view';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { type RunningPrometheus, type ScrapeJob, startPrometheus, waitForSeries } from './harness/prometheus';
import { scrapeJobsFor } from './harness/stack';
import { at } from './harness/indexed';

/**
 * Gpu.history's score and status come from the analyzer's own exported gpu_utilization_score, read back from a real
 * Prometheus that scrapes both the simulator's exporters (labelled `cluster`: a global view the API reads with
 * CLUSTER_LABEL) and the API's /metrics — the set-up where that history survives a restart of the API.
 */
const ANALYZER_INTERVAL_SECONDS = 5;

interface Score {
  uuid: string;
  migInstanceId: string | null;
  cluster: string;
  namespace: string | null;
  score: number | null;
  status: string;
  computedAt: string;
}
interface HistoryGpu {
  uuid: string;
  migInstanceId: string | null;
  history: { timestamp: string; score: number | null; status: string | null; scoreStatus: string | null }[];
}

const key = (g: { uuid: string; migInstanceId: string | null }) =>
  g.migInstanceId ? `${g.uuid}/${g.migInstanceId}` : g.uuid;

const scores = async (url: string): Promise<Score[]> => {
  const res = await gql<{ gpuScores: { edges: { node: Score }[] } }>(
    url,
    '{ gpuScores(first: 100) { edges { node { uuid migInstanceId cluster namespace score status computedAt } } } }',
    {},
    HEADERS.admin,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.gpuScores.edges.map((e) => e.node);
};
const historyOf = async (url: string, headers: Record<string, string>, from: number, to: number) => {
  const res = await gql<{ gpus: { edges: { node: HistoryGpu }[] } }>(
    url,
    `query($range: TimeRangeInput!) { gpus(first: 50) { edges { node { uuid migInstanceId
      history(range: $range, stepSeconds: 1, metrics: [SCORE, STATUS]) { timestamp score status scoreStatus } } } } }`,
    { range: { from: new Date(from).toISOString(), to: new Date(to).toISOString() } },
    headers,
  );
  expect(res.errors).toBeUndefined();
  return new Map(res.data!.gpus.edges.map((e) => [key(e.node), e.node.history]));
};
/** The next analyzer cycle's results (a computedAt later than `after`). */
const cycleAfter = (url: string, after: number) =>
  pollUntil(
    'an analyzer cycle',
    async () => {
      const s = await scores(url);
      return s[0] && Date.parse(s[0].computedAt) > after ? s : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
/** A whole second a third of the way into the cycle: every scrape up to it came after the cycle's results. */
const stepIn = (s: Score[]) =>
  Math.ceil((Date.parse(at(s, 0, 'score').computedAt) + (ANALYZER_INTERVAL_SECONDS * 1000) / 2.5) / 1000) *
  1000;

describe('Gpu.history score and status through Prometheus scraping the API', () => {
  let sim: RunningFleetSim;
  let prom: RunningPrometheus;
  let app: INestApplication;
  let url: string;
  let partnerNamespace: string;

  beforeAll(async () => {
    const model = new FleetModel(defaultScenario());
    partnerNamespace = scopesOf(model).partnerNamespace;
    const clusters = model.clusters().filter((c) => apiGpuExporter(model, c) === 'dcgm');
    sim = await startFleetSim({ model, port: 0 });
    const jobs = clusters.flatMap((c) =>
      withClusterLabel(
        scrapeJobsFor({ name: c, shape: 'plain', power: { ipmi: false } }, `127.0.0.1:${sim.port}`, model),
        c,
      ),
    );
    // The API's port is chosen first so that the one Prometheus the API reads can scrape it too.
    const apiPort = await freePort();
    const apiJob: ScrapeJob = {
      jobName: 'kcloud-monitor',
      targets: [`127.0.0.1:${apiPort}`],
      metricsPath: '/metrics',
      honorLabels: true,
    };
    prom = await startPrometheus([...jobs, apiJob]);
    await prom.waitForTargets(jobs.length);
    for (const c of clusters) await waitForSeries(prom.url, `DCGM_FI_DEV_GPU_UTIL{cluster="${c}"}`, 1);
    app = await createApp(
      loadConfig({
        PORT: String(apiPort),
        LOG_LEVEL: 'error',
        PROMETHEUS_URL: prom.url,
        CLUSTER_LABEL: 'cluster',
        PROMETHEUS_RETRIES: '0',
        ANALYZER_INTERVAL_SECONDS: String(ANALYZER_INTERVAL_SECONDS),
        ANALYZER_WINDOW_SECONDS: '10',
        API_KEYS: apiKeysEnv([
          { name: 'ops-admin', secret: SECRETS.admin, role: 'admin' },
          {
            name: 'partner-a',
            secret: SECRETS.partner,
            role: 'partner',
            namespaces: [partnerNamespace],
          },
        ]),
      }),
    );
    await app.listen(apiPort, '127.0.0.1');
    url = `http://127.0.0.1:${apiPort}`;
    await prom.waitForTargets(jobs.length + 1);
    await waitForSeries(prom.url, 'gpu_utilization_score', 1);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await prom?.stop();
    await sim?.close();
  });

  it('gives at each step the score and status gpuScores reported for the cycle of that time', async () => {
    const first = await cycleAfter(url, Date.now());
    const second = await cycleAfter(url, Date.parse(at(first, 0, 'score').computedAt));
    const [t1, t2] = [stepIn(first), stepIn(second)];
    expect(t2).toBeGreaterThan(t1);
    await pollUntil(
      'the second step to be scraped',
      async () => (Date.now() > t2 + 2000 ? true : undefined),
      {
        timeoutMs: 60_000,
      },
    );
    const history = await historyOf(url, HEADERS.admin, t1, t2);
    let scored = 0;
    for (const [cycle, t] of [
      [first, t1],
      [second, t2],
    ] as const) {
      for (const s of cycle) {
        const point = history.get(key(s))?.find((p) => Date.parse(p.timestamp) === t);
        expect(point).toBeDefined();
        if (s.score === null) {
          // UNKNOWN exports no score series: nothing to read back.
          expect(point).toMatchObject({ score: null, status: null, scoreStatus: null });
          continue;
        }
        scored++;
        expect({
          key: key(s),
          score: point!.score,
          status: point!.status,
          scoreStatus: point!.scoreStatus,
        }).toEqual({
          key: key(s),
          score: expect.closeTo(s.score, 6) as number,
          status: s.status.toLowerCase(),
          // The same status typed: GpuScoreStatus, as gpuScores gives it.
          scoreStatus: s.status,
        });
      }
    }
    expect(scored).toBeGreaterThan(4);

    // A namespace-scoped key: only its namespace's GPUs, with the same points.
    const partner = await historyOf(url, HEADERS.partner, t1, t2);
    const theirs = second.filter((s) => s.namespace === partnerNamespace).map(key);
    expect(theirs.length).toBeGreaterThan(0);
    expect([...partner.keys()].sort()).toEqual([...new Set(theirs)].sort());
    for (const k of partner.keys()) expect(partner.get(k)).toEqual(history.get(k));
  }, 120_000);
});

describe('Gpu.history score and status with per-cluster Prometheus and ANALYZER_HISTORY_PROMETHEUS', () => {
  let sim: RunningFleetSim;
  const proms: RunningPrometheus[] = [];
  let app: INestApplication;
  let url: string;
  let clusters: string[];

  beforeAll(async () => {
    const model = new FleetModel(defaultScenario());
    clusters = model.clusters().filter((c) => apiGpuExporter(model, c) === 'dcgm');
    sim = await startFleetSim({ model, port: 0 });
    const apiPort = await freePort();
    // Only the first cluster's Prometheus scrapes the API: the others' GPUs get their scores from it too.
    for (const [i, c] of clusters.entries()) {
      const jobs = scrapeJobsFor(
        { name: c, shape: 'plain', power: { ipmi: false } },
        `127.0.0.1:${sim.port}`,
        model,
      );
      const api: ScrapeJob[] =
        i === 0
          ? [
              {
                jobName: 'kcloud-monitor',
                targets: [`127.0.0.1:${apiPort}`],
                metricsPath: '/metrics',
                honorLabels: true,
              },
            ]
          : [];
      const prom = await startPrometheus([...jobs, ...api]);
      proms.push(prom);
      await waitForSeries(prom.url, 'DCGM_FI_DEV_GPU_UTIL', 1);
    }
    app = await createApp(
      loadConfig({
        PORT: String(apiPort),
        LOG_LEVEL: 'error',
        PROMETHEUS_CLUSTERS: JSON.stringify(
          clusters.map((c, i) => ({
            name: c,
            url: proms[i]!.url, // one Prometheus per cluster, started above
            timeoutMs: 5000,
            gpuExporter: 'dcgm',
          })),
        ),
        PROMETHEUS_RETRIES: '0',
        ANALYZER_INTERVAL_SECONDS: String(ANALYZER_INTERVAL_SECONDS),
        ANALYZER_WINDOW_SECONDS: '10',
        ANALYZER_HISTORY_PROMETHEUS: clusters[0],
      }),
    );
    await app.listen(apiPort, '127.0.0.1');
    url = `http://127.0.0.1:${apiPort}`;
    await waitForSeries(at(proms, 0, 'Prometheus').url, 'gpu_utilization_score', 1);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    for (const p of proms) await p.stop();
    await sim?.close();
  });

  it('reads every cluster’s GPUs from the named cluster’s Prometheus', async () => {
    const cycle = await cycleAfter(url, Date.now());
    const t = stepIn(cycle);
    await pollUntil('the step to be scraped', async () => (Date.now() > t + 2000 ? true : undefined), {
      timeoutMs: 60_000,
    });
    const history = await historyOf(url, {}, t, t + 1000);
    const others = cycle.filter((s) => s.cluster !== clusters[0] && s.score !== null);
    expect(clusters.length).toBeGreaterThan(1);
    expect(others.length).toBeGreaterThan(0);
    for (const s of others)
      expect(history.get(key(s))?.[0]).toMatchObject({
        score: expect.closeTo(s.score!, 6) as number,
        status: s.status.toLowerCase(),
      });
  }, 120_000);
});
