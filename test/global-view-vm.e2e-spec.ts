import { defaultScenario, FleetModel } from '@kcloud/fleet-model';
import { type GlobalView, startGlobalView } from './harness/global-view';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { type RunningPrometheus, type ScrapeJob, startPrometheus } from './harness/prometheus';
import { startVictoriaMetrics } from './harness/victoria-metrics';

const BACKENDS: readonly [string, (jobs: readonly ScrapeJob[]) => Promise<RunningPrometheus>][] = [
  ['VictoriaMetrics (single-node, MetricsQL)', startVictoriaMetrics],
  ['Prometheus', startPrometheus],
];

/**
 * Global view (CLUSTER_LABEL) against Debian's single-node VictoriaMetrics, and the same against Prometheus: one
 * server scraping two fleet-sim clusters, each scrape labelled `cluster`, the API pointed at it alone. The clusters
 * are discovered from the label values and every answer is scoped to its cluster, compared with the simulator.
 */
describe.each(BACKENDS)(
  'global view: CLUSTER_LABEL on one %s scraping two clusters',
  (_name, startBackend) => {
    const scenario = { ...defaultScenario(), tickSeconds: 3600 };
    const model = new FleetModel(scenario);
    let view: GlobalView;
    let clusters: readonly string[] = [];
    const ask = <T>(query: string, variables: Record<string, unknown> = {}) =>
      gql<T>(view.api.url, query, variables);

    beforeAll(async () => {
      view = await startGlobalView(model, {
        startBackend,
        env: {
          CACHE_TTL_REALTIME_SECONDS: '0',
          CACHE_TTL_SUMMARY_SECONDS: '0',
          POWER_RATE_WINDOW_SECONDS: '10',
          ANALYZER_INTERVAL_SECONDS: '1',
          ANALYZER_WINDOW_SECONDS: '5',
        },
      });
      clusters = view.clusters;
    }, 120_000);

    afterAll(async () => {
      await view?.close();
    });

    it('discovers one cluster per value of the cluster label, each UP', async () => {
      const listed = await pollUntil('both clusters up', async () => {
        const res = await ask<{ clusters: { name: string; status: string; gpuCount: number | null }[] }>(
          '{ clusters { name status gpuCount } }',
        );
        return res.data?.clusters.every((c) => c.status === 'UP') &&
          res.data.clusters.length === clusters.length
          ? res
          : undefined;
      });
      expect(listed.errors).toBeUndefined();
      expect(listed.data!.clusters.map((c) => c.name)).toEqual([...clusters].sort());
      for (const c of listed.data!.clusters)
        expect(c.gpuCount).toBe(new Set(model.gpus(c.name).map((g) => g.uuid)).size);
    });

    it("serves each cluster's GPUs, scoped by the label, equal to the simulator's", async () => {
      type Gpu = {
        id: string;
        uuid: string;
        migInstanceId: string | null;
        cluster: string;
        node: string;
        namespace: string | null;
        observedAt: string;
        utilizationPercent: number | null;
        memoryUsedMiB: number | null;
        temperatureCelsius: number | null;
        powerWatts: number | null;
      };
      type Gpus = { gpus: { totalCount: number; edges: { node: Gpu }[] } };
      const all = await ask<Gpus>(
        '{ gpus(first: 1000) { totalCount edges { node { id uuid migInstanceId cluster node namespace observedAt utilizationPercent memoryUsedMiB temperatureCelsius powerWatts } } } }',
      );
      expect(all.errors).toBeUndefined();
      expect(all.data!.gpus.totalCount).toBe(clusters.reduce((n, c) => n + model.gpus(c).length, 0));
      for (const { node: gpu } of all.data!.gpus.edges) {
        const sim = model.gpuByKey(gpu.uuid, gpu.migInstanceId ?? undefined, Date.parse(gpu.observedAt));
        expect(sim).toBeDefined();
        if (!sim) continue;
        expect({
          ...gpu,
          id: undefined,
          migInstanceId: undefined,
          observedAt: undefined,
          powerWatts: undefined,
        }).toEqual({
          uuid: sim.uuid,
          cluster: sim.cluster,
          node: sim.node,
          namespace: sim.namespace ?? null,
          utilizationPercent: sim.utilizationPercent ?? null,
          memoryUsedMiB: sim.memoryUsedMiB,
          temperatureCelsius: sim.temperatureCelsius,
          id: undefined,
          migInstanceId: undefined,
          observedAt: undefined,
          powerWatts: undefined,
        });
        expect(gpu.powerWatts).toBeCloseTo(sim.powerWatts, 5);
      }
      for (const c of clusters) {
        const one = await ask<Gpus>(
          'query($c: String) { gpus(first: 1000, filter: { cluster: $c }) { totalCount edges { node { uuid cluster node } } } }',
          { c },
        );
        expect(one.errors).toBeUndefined();
        expect(
          one.data!.gpus.edges.map((e) => `${e.node.cluster}/${e.node.node}/${e.node.uuid}`).sort(),
        ).toEqual(
          model
            .gpus(c)
            .map((g) => `${g.cluster}/${g.node}/${g.uuid}`)
            .sort(),
        );
      }
    });

    it('answers the other read paths (nodes, pods, power, power series, energy, NPUs, data quality) without an upstream error', async () => {
      const to = new Date();
      const from = new Date(to.getTime() - 60_000);
      const res = await pollUntil('power rates over the window', async () => {
        const r = await ask<{ power: { totalWatts: number } }>(
          `query($r: TimeRangeInput!) {
          nodes(first: 1000) { totalCount }
          pods(first: 1000) { totalCount }
          npus(first: 100) { totalCount }
          power { totalWatts byCluster { key watts } }
          powerTimeseries(groupBy: CLUSTER, range: $r) { stepSeconds series { key points { watts } } }
          energy(groupBy: CLUSTER, range: $r) { __typename }
          clusters { name deviceQuality { status count } }
        }`,
          { r: { from: from.toISOString(), to: to.toISOString(), stepSeconds: 10 } },
        );
        return r.errors?.length || !(r.data?.power.totalWatts ?? 0) ? (r.errors?.length ? r : undefined) : r;
      });
      expect(res.errors).toBeUndefined();
      const watts = (res.data as unknown as { power: { byCluster: { key: string }[] } }).power.byCluster
        .map((g) => g.key)
        .sort();
      expect(watts).toEqual([...clusters].sort());
    });

    it("scores every GPU of both clusters from the window queries (the analyzer's avg_over_time reads)", async () => {
      const expected = clusters.reduce((n, c) => n + model.gpus(c).length, 0);
      const scored = await pollUntil('scores for every GPU', async () => {
        const r = await ask<{ gpuScores: { totalCount: number } }>('{ gpuScores(first: 1) { totalCount } }');
        return r.errors?.length || r.data?.gpuScores.totalCount === expected ? r : undefined;
      });
      expect(scored.errors).toBeUndefined();
    });
  },
);
