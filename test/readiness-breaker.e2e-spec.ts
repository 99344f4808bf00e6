import { createServer, type Server, type Socket } from 'node:net';
import { defaultScenario, FleetModel } from '@kcloud/fleet-model';
import { type RunningApp, startApp } from './harness/app';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { type ScrapedCluster, startScrapedCluster } from './harness/scraped-cluster';
import { at } from './harness/indexed';

const GPUS = `query($f: GpuFilterInput) { gpus(filter: $f, first: 1000) { totalCount edges { node { uuid cluster } } } }`;
const HUNG_TIMEOUT_MS = 4000;

const median = (xs: readonly number[]): number =>
  at(
    [...xs].sort((a, b) => a - b),
    Math.floor(xs.length / 2),
    'timing',
  );

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/**
 * One real cluster (Prometheus scraping fleet-sim) and one that accepts TCP and never answers: readiness and the
 * health report answer from the prober's recorded states at once, the real cluster's GPUs come back within the hung
 * one's timeout, and once the hung cluster's circuit opens it costs a request almost nothing.
 */
describe('readiness from cached cluster state, and a circuit breaker per cluster, with a cluster that never answers', () => {
  const scenario = { ...defaultScenario(), tickSeconds: 3600 };
  const model = new FleetModel(scenario);
  const east = at(scenario.clusters, 0, 'scenario cluster').name;
  const hung = 'hung';
  let live: ScrapedCluster;
  let silent: Server;
  const sockets = new Set<Socket>();
  let api: RunningApp;
  /** A second replica on the same clusters: each keeps its own cluster states. */
  let replica: RunningApp;

  beforeAll(async () => {
    silent = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    live = await startScrapedCluster(model, east);
    const env = {
      LOG_LEVEL: 'error',
      PROMETHEUS_CLUSTERS: JSON.stringify([
        { name: east, url: live.prometheus.url, timeoutMs: 5000 },
        {
          name: hung,
          url: `http://127.0.0.1:${(silent.address() as { port: number }).port}`,
          timeoutMs: HUNG_TIMEOUT_MS,
        },
      ]),
      PROMETHEUS_RETRIES: '0',
      CACHE_TTL_REALTIME_SECONDS: '0',
      CACHE_TTL_SUMMARY_SECONDS: '0',
      ANALYZER_ENABLED: 'false',
      HEALTH_PROBE_INTERVAL_SECONDS: '1',
      HEALTH_PROBE_TIMEOUT_MS: '300',
      CIRCUIT_BREAKER_CONSECUTIVE_FAILURES: '3',
      CIRCUIT_BREAKER_HALF_OPEN_AFTER_SECONDS: '600',
    };
    [api, replica] = await Promise.all([startApp(env), startApp(env)]);
  });

  afterAll(async () => {
    await api?.app.close();
    await replica?.app.close();
    sockets.forEach((s) => s.destroy());
    await new Promise((r) => silent?.close(r));
    await live?.close();
  });

  it('answers /health/ready 200 at once on both replicas while one cluster serves, and /health/live and /health/startup without upstreams', async () => {
    for (const { url } of [api, replica]) {
      await pollUntil(
        'startup',
        async () => ((await fetch(`${url}/health/startup`)).status === 200 ? true : undefined),
        {
          timeoutMs: 5000,
          intervalMs: 50,
        },
      );
    }
    const samples: number[] = [];
    for (let i = 0; i < 11; i++) {
      for (const { url } of [api, replica]) {
        const { ms, value } = await timed(() => fetch(`${url}/health/ready`));
        expect(value.status).toBe(200);
        samples.push(ms);
      }
    }
    process.stdout.write(
      `[readiness] /health/ready on two replicas, median ${median(samples).toFixed(1)} ms (max ${Math.max(...samples).toFixed(1)})\n`,
    );
    expect(median(samples)).toBeLessThan(2000);
    const body = (await (await fetch(`${api.url}/health/ready`)).json()) as {
      details: { metrics: Record<string, unknown> };
    };
    expect(body.details.metrics).toMatchObject({ status: 'up', clustersUp: 1, clustersTotal: 2 });
    expect((await fetch(`${api.url}/health/live`)).status).toBe(200);

    const report = await timed(
      async () =>
        (await fetch(`${api.url}/api/v1/system/health`)).json() as Promise<{
          status: string;
          clusters: { cluster: string; status: string }[];
        }>,
    );
    expect(report.ms).toBeLessThan(2000);
    expect(report.value.status).toBe('degraded');
    expect(report.value.clusters.find((c) => c.cluster === hung)?.status).toBe('down');
  });

  it("serves the other cluster's GPUs within the hung cluster's timeout, the hung one as a failure naming it", async () => {
    const { ms, value } = await timed(() => gql<{ gpus: { totalCount: number } }>(api.url, GPUS, {}));
    process.stdout.write(
      `[readiness] gpus over both clusters before the circuit opens: ${ms.toFixed(0)} ms\n`,
    );
    expect(ms).toBeLessThan(HUNG_TIMEOUT_MS + 1500);
    expect(value.data!.gpus.totalCount).toBe(model.gpus(east).length);
    expect(value.errors?.map((e) => e.extensions?.cluster)).toEqual([hung]);
  });

  it('opens the hung cluster’s circuit from the probes, then fails its requests fast with CLUSTER_UNAVAILABLE', async () => {
    type Listed = { clusters: { name: string; status: string; circuit: string }[] };
    const listed = await pollUntil(
      'the hung cluster’s circuit to open',
      async () => {
        const res = await gql<Listed>(api.url, '{ clusters { name status circuit } }');
        return res.data?.clusters.find((c) => c.name === hung)?.circuit === 'OPEN' ? res.data : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    expect(listed.clusters.find((c) => c.name === east)).toMatchObject({ status: 'UP', circuit: 'CLOSED' });
    expect(listed.clusters.find((c) => c.name === hung)).toMatchObject({ status: 'DOWN', circuit: 'OPEN' });

    const hungMs: number[] = [];
    const eastMs: number[] = [];
    for (let i = 0; i < 11; i++) {
      const h = await timed(() => gql(api.url, GPUS, { f: { cluster: hung } }));
      expect(h.value.errors?.[0]?.extensions).toMatchObject({ code: 'CLUSTER_UNAVAILABLE', cluster: hung });
      hungMs.push(h.ms);
      const e = await timed(() =>
        gql<{ gpus: { totalCount: number } }>(api.url, GPUS, { f: { cluster: east } }),
      );
      expect(e.value.data!.gpus.totalCount).toBe(model.gpus(east).length);
      eastMs.push(e.ms);
    }
    process.stdout.write(
      `[breaker] gpus of the hung cluster (circuit open) median ${median(hungMs).toFixed(1)} ms; of the healthy cluster median ${median(eastMs).toFixed(1)} ms\n`,
    );
    expect(median(hungMs)).toBeLessThan(250);
    const both = await timed(() => gql<{ gpus: { totalCount: number } }>(api.url, GPUS, {}));
    expect(both.ms).toBeLessThan(1000);
    expect(both.value.data!.gpus.totalCount).toBe(model.gpus(east).length);

    const detailed = (await (await fetch(`${api.url}/api/v1/system/health`)).json()) as {
      clusters: { cluster: string; circuit: string }[];
    };
    expect(detailed.clusters.find((c) => c.cluster === hung)?.circuit).toBe('OPEN');
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toContain(`kcloud_upstream_circuit_state{cluster="${hung}"} 1`);
    expect(metrics).toContain(`kcloud_upstream_circuit_state{cluster="${east}"} 0`);
    expect(metrics).toContain(`kcloud_upstream_up{cluster="${hung}"} 0`);
    expect(metrics).toContain(`kcloud_upstream_up{cluster="${east}"} 1`);
    expect((await fetch(`${api.url}/health/ready`)).status).toBe(200);
  });
});
