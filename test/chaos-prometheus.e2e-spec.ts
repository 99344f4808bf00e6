import { defaultScenario } from '@kcloud/fleet-model';
import { GPU_WINDOW_SOURCE, type GpuWindowSource } from '@kcloud/metrics-source';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { prometheusOf } from './harness/stack';
import { eastWest } from './harness/stacks';
import { at } from './harness/indexed';
import { useStack } from './harness/use-stack';

interface ScoreRow {
  gpuId: string;
  cluster: string;
  score: number | null;
  status: string;
  stale: boolean;
  computedAt: string;
  ageSeconds: number;
}
interface Run {
  id: number;
  startedAt: string;
  failedClusters: string[];
  error: string | null;
}
interface ClusterRow {
  name: string;
  status: string;
  circuit: string;
}

const SCORES = `query($f: GpuScoreFilterInput) { gpuScores(first: 1000, filter: $f) { totalCount edges { node {
  gpuId cluster score status stale computedAt ageSeconds } } } }`;
const LAST_RUN = `{ analyzerConfig { lastRun { id startedAt failedClusters error } } }`;
const CLUSTERS = `{ clusters { name status circuit } }`;

/**
 * Chaos: one cluster's real Prometheus is SIGKILLed the moment an analyzer cycle starts reading its window aggregates
 * (the other cluster's Prometheus keeps serving), then started again on the same port and TSDB. What the API must
 * say meanwhile, and how it comes back without a restart.
 */
describe('chaos: a cluster’s Prometheus killed during an analyzer cycle, then restarted', () => {
  const scenario = { ...defaultScenario(), tickSeconds: 3600 };
  const [east, west] = eastWest(scenario);
  const stack = useStack(
    scenario,
    [
      { name: east, shape: 'plain', power: { ipmi: false } },
      { name: west, shape: 'plain', power: { ipmi: false } },
    ],
    {
      ANALYZER_INTERVAL_SECONDS: '2',
      ANALYZER_WINDOW_SECONDS: '5',
      HEALTH_PROBE_INTERVAL_SECONDS: '1',
      HEALTH_PROBE_TIMEOUT_MS: '500',
      CIRCUIT_BREAKER_CONSECUTIVE_FAILURES: '3',
      CIRCUIT_BREAKER_HALF_OPEN_AFTER_SECONDS: '2',
      CACHE_TTL_REALTIME_SECONDS: '0',
      CACHE_TTL_SUMMARY_SECONDS: '0',
    },
  );
  let source: GpuWindowSource;
  let killedAtMs = 0;
  let restartedAtMs = 0;
  const scores = async (cluster: string) => {
    const res = await gql<{ gpuScores: { edges: { node: ScoreRow }[] } }>(stack.url, SCORES, {
      f: { cluster },
    });
    return { rows: res.data?.gpuScores.edges.map((e) => e.node) ?? [], errors: res.errors ?? [] };
  };
  const lastRun = async () =>
    (await gql<{ analyzerConfig: { lastRun: Run | null } }>(stack.url, LAST_RUN)).data?.analyzerConfig
      .lastRun;
  const clusters = async () =>
    (await gql<{ clusters: ClusterRow[] }>(stack.url, CLUSTERS)).data?.clusters ?? [];
  const metrics = async () => (await fetch(`${stack.url}/metrics`)).text();

  beforeAll(async () => {
    source = stack.app.get<symbol, GpuWindowSource>(GPU_WINDOW_SOURCE, { strict: false });
    await pollUntil(
      'a cycle that scored both clusters',
      async () => {
        const run = await lastRun();
        if (!run || run.failedClusters.length || run.error) return undefined;
        const [e, w] = await Promise.all([scores(east), scores(west)]);
        return e.rows.length && w.rows.length && ![...e.rows, ...w.rows].some((r) => r.stale)
          ? true
          : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
  });

  it('kills the Prometheus while a cycle reads: the cycle reports the cluster failed, its scores are kept and marked stale', async () => {
    // The next cycle's read starts, then east's Prometheus dies (SIGKILL: no graceful close of its connections).
    const read = source.gpuWindowAggregates.bind(source);
    let armed = true;
    let killed: Promise<void> | undefined;
    source.gpuWindowAggregates = (filter, query) => {
      const reading = read(filter, query);
      if (armed) {
        armed = false;
        killedAtMs = Date.now();
        killed = prometheusOf(stack, east).kill!();
      }
      return reading;
    };
    const failed = await pollUntil(
      'a cycle reporting east failed',
      async () => {
        const run = await lastRun();
        return run && Date.parse(run.startedAt) >= killedAtMs - 1000 && run.failedClusters.includes(east)
          ? run
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    await killed;
    source.gpuWindowAggregates = read;
    expect(failed.error).toBeNull();
    expect(failed.failedClusters).toEqual([east]);

    const e = await scores(east);
    expect(e.rows.length).toBe(stack.model.gpus(east).length);
    // Kept, never recomputed from nothing: the last good result, computed before the kill, flagged stale.
    for (const r of e.rows) {
      expect(r.stale).toBe(true);
      expect(Date.parse(r.computedAt)).toBeLessThan(killedAtMs);
      expect(r.score === null || Number.isFinite(r.score)).toBe(true);
    }
    // The response says why, naming the cluster.
    expect(e.errors.map((x) => x.extensions)).toContainEqual(
      expect.objectContaining({ code: 'CLUSTER_UNAVAILABLE', cluster: east }),
    );
    // The other cluster keeps being scored, fresh.
    const w = await pollUntil(
      'a fresh west score after the kill',
      async () => {
        const s = await scores(west);
        return s.rows.every((r) => !r.stale && Date.parse(r.computedAt) > killedAtMs) ? s : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(w.rows.length).toBe(stack.model.gpus(west).length);
    expect(w.errors).toEqual([]);
    // Stale rows age: ageSeconds grows from computedAt, so nothing looks fresh.
    const later = await pollUntil(
      'east rows aging',
      async () => {
        const s = await scores(east);
        return at(s.rows, 0, 'east row').ageSeconds > at(e.rows, 0, 'east row').ageSeconds ? s : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 250 },
    );
    expect(later.rows.every((r) => r.stale)).toBe(true);
  });

  it('says per cluster that east is down: readiness stays 200 on west, the health report and gauges name east, its circuit opens', async () => {
    const open = await pollUntil(
      'east’s circuit to open',
      async () => {
        const list = await clusters();
        return list.find((c) => c.name === east)?.circuit === 'OPEN' ? list : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(open.find((c) => c.name === east)).toMatchObject({ status: 'DOWN', circuit: 'OPEN' });
    expect(open.find((c) => c.name === west)).toMatchObject({ status: 'UP', circuit: 'CLOSED' });

    const ready = await fetch(`${stack.url}/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { details: { metrics: Record<string, unknown> } };
    expect(body.details.metrics).toMatchObject({ clustersUp: 1, clustersTotal: 2 });
    const report = (await (await fetch(`${stack.url}/api/v1/system/health`)).json()) as {
      status: string;
      clusters: { cluster: string; status: string; circuit: string }[];
    };
    expect(report.status).toBe('degraded');
    expect(report.clusters.find((c) => c.cluster === east)).toMatchObject({
      status: 'down',
      circuit: 'OPEN',
    });
    expect(report.clusters.find((c) => c.cluster === west)).toMatchObject({
      status: 'up',
      circuit: 'CLOSED',
    });
    const text = await metrics();
    expect(text).toContain(`kcloud_upstream_up{cluster="${east}"} 0`);
    expect(text).toContain(`kcloud_upstream_circuit_state{cluster="${east}"} 1`);
    expect(text).toContain(`kcloud_upstream_circuit_state{cluster="${west}"} 0`);

    // A request for east fails fast while the circuit is open; cycles keep east's rows stale, not dropped.
    const started = performance.now();
    const res = await gql(stack.url, `{ gpus(first: 5, filter: { cluster: "${east}" }) { totalCount } }`);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'CLUSTER_UNAVAILABLE', cluster: east });
    const run = await lastRun();
    expect(run?.failedClusters).toEqual([east]);
    expect((await scores(east)).rows.every((r) => r.stale && Date.parse(r.computedAt) < killedAtMs)).toBe(
      true,
    );
  });

  it('recovers once Prometheus is back on the same port: the circuit closes and the next cycle scores east fresh', async () => {
    await prometheusOf(stack, east).restart!();
    restartedAtMs = Date.now();
    const closed = await pollUntil(
      'east’s circuit to close',
      async () => {
        const list = await clusters();
        return list.find((c) => c.name === east)?.circuit === 'CLOSED' ? list : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(closed.find((c) => c.name === east)?.status).toBe('UP');
    const run = await pollUntil(
      'a cycle after the restart with no failed cluster',
      async () => {
        const r = await lastRun();
        return r && Date.parse(r.startedAt) > restartedAtMs && !r.failedClusters.length ? r : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(run.error).toBeNull();
    const e = await scores(east);
    expect(e.errors).toEqual([]);
    expect(e.rows.length).toBe(stack.model.gpus(east).length);
    for (const r of e.rows) {
      expect(r.stale).toBe(false);
      expect(Date.parse(r.computedAt)).toBeGreaterThan(restartedAtMs);
    }
    const text = await metrics();
    expect(text).toContain(`kcloud_upstream_up{cluster="${east}"} 1`);
    expect(text).toContain(`kcloud_upstream_circuit_state{cluster="${east}"} 0`);
    const report = (await (await fetch(`${stack.url}/api/v1/system/health`)).json()) as { status: string };
    expect(report.status).toBe('healthy');
  });
});
