import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { defaultScenario, gpuKeyOf, type SimGpu, windowAverages } from '@kcloud/fleet-model';
import { waitForFullWindowCycle } from './harness/analyzer-runs';
import type { GpuScoreNode } from './harness/gpu-score';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { type RunningPrometheus, startPrometheus } from './harness/prometheus';
import { prometheusOf } from './harness/stack';
import { eastWest, bothScrapeShapes } from './harness/stacks';
import { useStack } from './harness/use-stack';

const WINDOW_SECONDS = 5;

interface ScoreNode extends GpuScoreNode {
  gpuId: string;
  windowSeconds: number;
  stale: boolean;
}

interface ChangeEvent {
  kind: string;
  gpu: { gpuId: string; namespace: string | null; status: string; score: number | null };
}

const SCORES = `{ gpuScores(first: 1000) { totalCount edges { node {
  gpuId uuid cluster namespace score status reason computedAt windowSeconds stale
  inputs { utilizationPercent memoryCopyUtilizationPercent memoryUsedPercent powerPercent } } } } }`;

/**
 * The score the issue defines, computed here from the simulator's exact window averages (not with the analyzer's
 * code): 0.5·util + 0.2·memcopy + 0.2·memused + 0.1·power, MIG instances on GR/DRAM_ACTIVE.
 */
function groundTruth(sim: SimGpu, a: ReturnType<typeof windowAverages>[number]['averages']) {
  const mig = sim.migInstanceId !== undefined;
  const util = mig ? a.grEngineActiveRatio! * 100 : a.utilizationPercent!;
  const copy = mig ? a.dramActiveRatio! * 100 : a.memoryCopyUtilizationPercent!;
  const mem = (a.memoryUsedMiB! / (a.memoryUsedMiB! + a.memoryFreeMiB! + a.memoryReservedMiB!)) * 100;
  const power = (a.powerWatts! / a.powerLimitWatts!) * 100;
  return { util, copy, mem, power, score: 0.5 * util + 0.2 * copy + 0.2 * mem + 0.1 * power };
}

describe('GPU analyzer through a real Prometheus scraping the fleet simulator', () => {
  let apiScraper: RunningPrometheus | undefined;
  const clients: Client[] = [];
  // Hour-long ticks keep every value constant during the test, so the only change is the one the test makes.
  const scenario = { ...defaultScenario(), tickSeconds: 3600 };
  const stack = useStack(
    scenario,
    bothScrapeShapes(scenario),
    { ANALYZER_INTERVAL_SECONDS: '1', ANALYZER_WINDOW_SECONDS: String(WINDOW_SECONDS) },
    {
      closeFirst: async () => {
        await Promise.all(clients.map((c) => c.dispose()));
        await apiScraper?.stop();
      },
    },
  );

  beforeAll(async () => {
    // Judge a cycle that started a full window after Prometheus had every series (startStack waits for them).
    await waitForFullWindowCycle(stack.url, WINDOW_SECONDS, Date.now());
  });

  it('scores every GPU as the simulator ground truth says, within 1 point: idle notebooks, high training', async () => {
    const res = await gql<{ gpuScores: { totalCount: number; edges: { node: ScoreNode }[] } }>(
      stack.url,
      SCORES,
    );
    expect(res.errors).toBeUndefined();
    const rows = res.data!.gpuScores.edges.map((e) => e.node);
    const sims = new Map(stack.model.gpus().map((g) => [gpuKeyOf(g), g]));
    expect(rows).toHaveLength(sims.size);
    for (const row of rows) {
      const sim = sims.get(row.gpuId)!;
      const to = Date.parse(row.computedAt);
      const truth = windowAverages(stack.model, to - row.windowSeconds * 1000, to, row.cluster).find(
        (w) => gpuKeyOf(w.gpu) === row.gpuId,
      )!;
      const expected = groundTruth(sim, truth.averages);
      expect({
        gpu: row.gpuId,
        stale: row.stale,
        reason: row.reason?.startsWith('no compute') ? null : row.reason,
      }).toEqual({
        gpu: row.gpuId,
        stale: false,
        reason: null,
      });
      expect(Math.abs(row.score! - expected.score)).toBeLessThanOrEqual(1);
      expect(Math.abs(row.inputs.utilizationPercent! - expected.util)).toBeLessThanOrEqual(1);
      expect(Math.abs(row.inputs.memoryUsedPercent! - expected.mem)).toBeLessThanOrEqual(1);
      expect(Math.abs(row.inputs.powerPercent! - expected.power)).toBeLessThanOrEqual(1);
      if (sim.pattern === 'notebook') expect(row.status).toBe('IDLE');
      if (sim.pattern === 'training') expect(row.status).toBe('HIGH');
    }
    // The scenario exercises both: notebooks (one of them a MIG slice) and training GPUs.
    expect(rows.filter((r) => sims.get(r.gpuId)!.pattern === 'notebook').length).toBeGreaterThanOrEqual(3);
    expect(
      rows.some((r) => sims.get(r.gpuId)!.pattern === 'notebook' && sims.get(r.gpuId)!.migInstanceId),
    ).toBe(true);
  });

  it('gives every Gpu its score field from the same results', async () => {
    const res = await gql<{
      gpus: { edges: { node: { id: string; score: { gpuId: string; score: number } } }[] };
    }>(stack.url, `{ gpus(first: 1000) { edges { node { id score { gpuId score } } } } }`);
    expect(res.errors).toBeUndefined();
    const scores = await gql<{ gpuScores: { edges: { node: { gpuId: string; score: number } }[] } }>(
      stack.url,
      `{ gpuScores(first: 1000) { edges { node { gpuId score } } } }`,
    );
    const byId = new Map(scores.data!.gpuScores.edges.map((e) => [e.node.gpuId, e.node.score]));
    expect(res.data!.gpus.edges).toHaveLength(byId.size);
    for (const { node } of res.data!.gpus.edges) {
      expect(node.score.gpuId).toBe(node.id);
      expect(node.score.score).toBeCloseTo(byId.get(node.id)!, 6);
    }
  });

  it('lets a real Prometheus scraping /metrics answer avg(gpu_utilization_score) and the idle count', async () => {
    const api = new URL(stack.url);
    apiScraper = await startPrometheus([
      { jobName: 'kcloud-api', targets: [api.host], metricsPath: '/metrics', honorLabels: true },
    ]);
    await apiScraper.waitForTargets(1);
    const idleInModel = stack.model
      .gpus()
      .filter((g) => g.pattern === 'notebook' || g.pattern === 'unallocated').length;
    const stats = await gql<{ gpuScoreStats: { averageScore: number } }>(
      stack.url,
      `{ gpuScoreStats { averageScore } }`,
    );
    const query = async (q: string): Promise<number | undefined> => {
      const body = (await (
        await fetch(`${apiScraper!.url}/api/v1/query?query=${encodeURIComponent(q)}`)
      ).json()) as {
        data: { result: { value: [number, string] }[] };
      };
      const [first] = body.data.result;
      return first ? Number(first.value[1]) : undefined;
    };
    const average = await pollUntil('avg(gpu_utilization_score)', () => query('avg(gpu_utilization_score)'));
    expect(average).toBeCloseTo(stats.data!.gpuScoreStats.averageScore, 6);
    expect(await query('gpu_status_count{status="idle"}')).toBe(idleInModel);
    expect(await query('count(gpu_utilization_score)')).toBe(stack.model.gpus().length);
  });

  it('pushes gpuScoreChanged to the subscriber of the switched GPU’s namespace, and nothing to another namespace', async () => {
    const target = stack.model.gpus().find((g) => g.pattern === 'training' && g.namespace === 'ml-training')!;
    const other = 'research';
    const wsUrl = `${stack.url.replace(/^http/, 'ws')}/graphql`;
    const subscribe = (namespace: string, events: ChangeEvent[]) => {
      const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
      clients.push(client);
      client.subscribe<{ gpuScoreChanged: ChangeEvent }>(
        {
          query: `subscription($f: GpuScoreChangedFilterInput) { gpuScoreChanged(filter: $f) { kind gpu { gpuId namespace status score } } }`,
          variables: { f: { namespace } },
        },
        {
          next: (m) => m.data && events.push(m.data.gpuScoreChanged),
          error: () => undefined,
          complete: () => undefined,
        },
      );
    };
    const mine: ChangeEvent[] = [];
    const theirs: ChangeEvent[] = [];
    subscribe('ml-training', mine);
    subscribe(other, theirs);
    // graphql-ws does not acknowledge a subscribe: wait until both run on the server before changing anything.
    await pollUntil('two live gpuScoreChanged subscriptions', async () => {
      const text = await (await fetch(`${stack.url}/metrics`)).text();
      const m = /^graphql_subscriptions_active\{field="gpuScoreChanged"\} (\d+)/m.exec(text);
      return m && Number(m[1]) >= 2 ? true : undefined;
    });

    stack.model.setPattern(target.uuid, undefined, 'notebook');
    const idle = await pollUntil(
      `an IDLE event for ${target.uuid}`,
      async () => mine.find((e) => e.gpu.gpuId === target.uuid && e.gpu.status === 'IDLE'),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(idle.kind).toBe('STATUS_CHANGED');
    expect(mine.every((e) => e.gpu.namespace === 'ml-training')).toBe(true);
    expect(theirs.every((e) => e.gpu.namespace === other)).toBe(true);
    expect(theirs.some((e) => e.gpu.gpuId === target.uuid)).toBe(false);
  });

  it('keeps a failed cluster’s last results, marked stale with their age, and names the cluster in an error', async () => {
    const [east, west] = eastWest(scenario);
    await prometheusOf(stack, west).stop();
    const run = await gql<{ triggerAnalysis: { failedClusters: string[]; gpuCount: number } }>(
      stack.url,
      `mutation { triggerAnalysis { failedClusters gpuCount } }`,
    );
    expect(run.data!.triggerAnalysis).toEqual({
      failedClusters: [west],
      gpuCount: stack.model.gpus(east).length,
    });
    const res = await gql<{
      gpuScores: { edges: { node: { cluster: string; stale: boolean; ageSeconds: number } }[] };
    }>(stack.url, `{ gpuScores(first: 1000) { edges { node { cluster stale ageSeconds } } } }`);
    const rows = res.data!.gpuScores.edges.map((e) => e.node);
    expect(rows).toHaveLength(stack.model.gpus().length);
    expect(rows.filter((r) => r.cluster === west).every((r) => r.stale && r.ageSeconds > 0)).toBe(true);
    expect(rows.filter((r) => r.cluster === east).every((r) => !r.stale)).toBe(true);
    expect(res.errors).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'CLUSTER_UNAVAILABLE', cluster: west }),
      }),
    ]);
  });
});
