import { defaultScenario, gpuKeyOf, type SimGpu } from '@kcloud/fleet-model';
import { gql } from './harness/graphql-client';
import { useStack } from './harness/use-stack';
import { bothScrapeShapes, eastWest } from './harness/stacks';
import { prometheusOf } from './harness/stack';

interface GpuNode {
  id: string;
  uuid: string;
  index: number;
  cluster: string;
  node: string;
  model: string;
  driverVersion: string | null;
  migProfile: string | null;
  migInstanceId: string | null;
  namespace: string | null;
  pod: string | null;
  container: string | null;
  utilizationPercent: number | null;
  memoryCopyUtilizationPercent: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  powerWatts: number | null;
  powerLimitWatts: number | null;
  temperatureCelsius: number | null;
  smClockMHz: number | null;
  energyJoules: number | null;
  observedAt: string;
}

const GPU_FIELDS = `id uuid index cluster node model driverVersion migProfile migInstanceId namespace pod container
  utilizationPercent memoryCopyUtilizationPercent memoryUsedMiB memoryTotalMiB powerWatts powerLimitWatts
  temperatureCelsius smClockMHz energyJoules observedAt`;

const ALL_GPUS = `query($filter: GpuFilterInput) { gpus(filter: $filter, first: 1000) { totalCount edges { node { ${GPU_FIELDS} } } } }`;

type GpusResult = { gpus: { totalCount: number; edges: { node: GpuNode }[] } };

/** Values the simulator served at the time Prometheus scraped them (the API reports that time as observedAt). */
function expectSameAsSimulator(api: GpuNode, sim: SimGpu): void {
  expect({
    cluster: api.cluster,
    node: api.node,
    uuid: api.uuid,
    index: api.index,
    model: api.model,
    driverVersion: api.driverVersion,
  }).toEqual({
    cluster: sim.cluster,
    node: sim.node,
    uuid: sim.uuid,
    index: sim.index,
    model: sim.model,
    driverVersion: sim.driverVersion,
  });
  expect({ migProfile: api.migProfile, migInstanceId: api.migInstanceId }).toEqual({
    migProfile: sim.migProfile ?? null,
    migInstanceId: sim.migInstanceId ?? null,
  });
  expect({ namespace: api.namespace, pod: api.pod, container: api.container }).toEqual({
    namespace: sim.namespace ?? null,
    pod: sim.pod ?? null,
    container: sim.container ?? null,
  });
  expect(api.utilizationPercent).toBe(sim.utilizationPercent ?? null);
  expect(api.memoryCopyUtilizationPercent).toBe(sim.memoryCopyUtilizationPercent ?? null);
  expect(api.memoryUsedMiB).toBe(sim.memoryUsedMiB);
  expect(api.memoryTotalMiB).toBe(sim.memoryUsedMiB + sim.memoryFreeMiB + sim.memoryReservedMiB);
  expect(api.powerWatts).toBeCloseTo(sim.powerWatts, 5);
  expect(api.powerLimitWatts).toBeCloseTo(sim.powerLimitWatts, 5);
  expect(api.temperatureCelsius).toBe(sim.temperatureCelsius);
  expect(api.smClockMHz).toBe(sim.smClockMHz);
  // The energy counter moves between the scrape and our read of the model: relative tolerance.
  expect(
    Math.abs(api.energyJoules! - sim.energyMillijoules / 1000) / (sim.energyMillijoules / 1000),
  ).toBeLessThan(1e-3);
}

describe('gpus through a real Prometheus scraping the fleet simulator (two clusters, two scrape shapes)', () => {
  // Hour-long ticks keep every value constant for the test's duration, so API and model compare exactly.
  const scenario = { ...defaultScenario(), tickSeconds: 3600 };

  const stack = useStack(scenario, bothScrapeShapes(scenario), { CACHE_TTL_REALTIME_SECONDS: '0' });

  it('returns every GPU and MIG instance of both clusters with the simulator values, tenants included', async () => {
    const res = await gql<GpusResult>(stack.url, ALL_GPUS);
    expect(res.errors).toBeUndefined();
    const expected = stack.model.gpus();
    expect(res.data!.gpus.totalCount).toBe(expected.length);
    const byId = new Map(res.data!.gpus.edges.map((e) => [e.node.id, e.node]));
    for (const sim of expected) {
      const api = byId.get(gpuKeyOf(sim));
      expect(api).toBeDefined();
      expectSameAsSimulator(
        api!,
        stack.model.gpuByKey(sim.uuid, sim.migInstanceId, Date.parse(api!.observedAt))!,
      );
    }
    // The scenario must exercise what the issue asks: MIG instances and tenants on the exported-shape cluster.
    const west = res.data!.gpus.edges.map((e) => e.node).filter((g) => g.cluster === eastWest(scenario)[1]);
    expect(res.data!.gpus.edges.some((e) => e.node.migInstanceId)).toBe(true);
    expect(west.some((g) => g.namespace)).toBe(true);
    expect(west.every((g) => g.pod !== 'nvidia-dcgm-exporter-x7k2p' && g.namespace !== 'gpu-operator')).toBe(
      true,
    );
  });

  it('filters by namespace on both scrape shapes', async () => {
    const namespaces = [
      ...new Set(
        stack.model
          .gpus()
          .map((g) => g.namespace)
          .filter((n): n is string => !!n),
      ),
    ];
    for (const namespace of namespaces) {
      const res = await gql<GpusResult>(stack.url, ALL_GPUS, { filter: { namespace } });
      expect(res.errors).toBeUndefined();
      const expected = stack.model
        .gpus()
        .filter((g) => g.namespace === namespace)
        .map(gpuKeyOf)
        .sort();
      expect(res.data!.gpus.edges.map((e) => e.node.id).sort()).toEqual(expected);
    }
  });

  it('treats a hostile filter value as a literal: no data, no error from Prometheus', async () => {
    for (const namespace of ['a"}or vector(1)#', '.*', 'ml-training|inference', 'x\\"} or up{', 'a\nb']) {
      const res = await gql<GpusResult>(stack.url, ALL_GPUS, { filter: { namespace } });
      expect(res.errors).toBeUndefined();
      expect(res.data!.gpus.totalCount).toBe(0);
    }
  });

  it('returns one GPU by uuid, and a MIG instance by uuid/instance', async () => {
    const sim = stack.model.gpus().find((g) => !g.migInstanceId)!;
    const mig = stack.model.gpus().find((g) => g.migInstanceId)!;
    const one = await gql<{ gpu: GpuNode }>(stack.url, `query($u: ID!) { gpu(uuid: $u) { ${GPU_FIELDS} } }`, {
      u: sim.uuid,
    });
    expect(one.data!.gpu.uuid).toBe(sim.uuid);
    const inst = await gql<{ gpu: GpuNode }>(
      stack.url,
      `query($u: ID!) { gpu(uuid: $u) { ${GPU_FIELDS} } }`,
      { u: gpuKeyOf(mig) },
    );
    expect(inst.data!.gpu).toMatchObject({
      uuid: mig.uuid,
      migInstanceId: mig.migInstanceId,
      migProfile: mig.migProfile,
    });
    const missing = await gql(stack.url, `{ gpu(uuid: "GPU-does-not-exist") { uuid } }`);
    expect(missing.errors?.[0]?.extensions!.code).toBe('NOT_FOUND');
  });

  it('paginates with a cursor and a stable total', async () => {
    const q = `query($after: String) { gpus(first: 3, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: Awaited<
        ReturnType<
          typeof gql<{
            gpus: {
              totalCount: number;
              edges: { node: { id: string } }[];
              pageInfo: { hasNextPage: boolean; endCursor: string };
            };
          }>
        >
      > = await gql(stack.url, q, { after });
      seen.push(...res.data!.gpus.edges.map((e) => e.node.id));
      if (!res.data!.gpus.pageInfo.hasNextPage) break;
      after = res.data!.gpus.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(stack.model.gpus().length);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('rejects a bad page size with BAD_USER_INPUT', async () => {
    const res = await gql(stack.url, `{ gpus(first: 100000) { totalCount } }`);
    expect(res.errors?.[0]?.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('reports system info and per-cluster health', async () => {
    const res = await gql<{ system: { dataSource: string; clusters: { name: string; status: string }[] } }>(
      stack.url,
      `{ system { version dataSource clusters { name status latencyMs } } }`,
    );
    expect(res.data!.system.dataSource).toBe('PROMETHEUS');
    expect(res.data!.system.clusters.map((c) => c.status)).toEqual(['UP', 'UP']);
    const live = await fetch(`${stack.url}/health/live`);
    const ready = await fetch(`${stack.url}/health/ready`);
    expect([live.status, ready.status]).toEqual([200, 200]);
    const detailed = (await (await fetch(`${stack.url}/api/v1/system/health`)).json()) as {
      status: string;
      clusters: { cluster: string; latencyMs: number }[];
    };
    expect(detailed.status).toBe('healthy');
    expect(JSON.stringify(detailed)).not.toContain('http://');
  });

  it('serves its own metrics, including Prometheus query durations per cluster', async () => {
    const text = await (await fetch(`${stack.url}/metrics`)).text();
    expect(text).toMatch(/^process_cpu_seconds_total/m);
    expect(text).toMatch(/^api_requests_total\{method="POST",route="\/graphql",status="200"\} \d+/m);
    expect(text).toMatch(
      new RegExp(`^prometheus_query_duration_seconds_count\\{[^}]*cluster="${eastWest(scenario)[0]}"`, 'm'),
    );
    expect(text).toMatch(/^api_errors_total\{kind="graphql",code="BAD_USER_INPUT"\} \d+/m);
  });

  it('keeps serving the healthy cluster when the other one is down, with CLUSTER_UNAVAILABLE naming it', async () => {
    const [east, west] = eastWest(scenario);
    await prometheusOf(stack, west).stop();
    const res = await gql<GpusResult>(stack.url, ALL_GPUS);
    expect(res.data!.gpus.totalCount).toBe(stack.model.gpus(east).length);
    expect(res.data!.gpus.edges.every((e) => e.node.cluster === east)).toBe(true);
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'CLUSTER_UNAVAILABLE', cluster: west });
    const ready = await fetch(`${stack.url}/health/ready`);
    expect(ready.status).toBe(200);
    const detailed = (await (await fetch(`${stack.url}/api/v1/system/health`)).json()) as { status: string };
    expect(detailed.status).toBe('degraded');
  });
});
