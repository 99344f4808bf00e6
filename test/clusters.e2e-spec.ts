import { defaultScenario, fleetPower, gpuKeyOf } from '@kcloud/fleet-model';
import { apiKeysEnv, bearer } from './harness/api-keys';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { useStack } from './harness/use-stack';
import { eastWest } from './harness/stacks';
import { prometheusOf } from './harness/stack';

const ADMIN_KEY = 'kc_clusters_admin_3e1f';
const ADMIN = bearer(ADMIN_KEY);
const VIEWER_KEY = 'kc_clusters_viewer_8a2c';
const VIEWER = bearer(VIEWER_KEY);

interface ApiCluster {
  name: string;
  status: string;
  latencyMs: number | null;
  lastSuccessAt: string | null;
  gpuCount: number | null;
  npuCount: number | null;
  nodeCount: number | null;
}

const LIST = `{ clusters { name status latencyMs lastSuccessAt gpuCount npuCount nodeCount } }`;
const ONE = `query($n: String!) { cluster(name: $n) { name status
  summary { nodeCount gpuCount gpuAllocatable npuCount podCount powerWatts }
  power { totalWatts byNode { key watts } }
  topology { cluster nodes { name devices { id kind model pod { name namespace } } pods { name namespace deviceIds } } } } }`;
const REGISTER = `mutation($i: RegisterClusterInput!) { registerCluster(input: $i) { name status } }`;

describe('clusters: list, summary, power, topology and run-time registration through real Prometheus', () => {
  const scenario = { ...defaultScenario(), tickSeconds: 3600 };
  const [east, west] = eastWest(scenario);

  const stack = useStack(
    scenario,
    [
      { name: east, shape: 'plain', power: { ipmi: false } },
      { name: west, shape: 'exported', power: { ipmi: false } },
    ],
    {
      CACHE_TTL_REALTIME_SECONDS: '0',
      CACHE_TTL_SUMMARY_SECONDS: '0',
      POWER_RATE_WINDOW_SECONDS: '10',
      ANALYZER_ENABLED: 'false',
      // The mirror registered below is a loopback Prometheus, refused by the address guard unless listed.
      ALLOWED_CLUSTER_HOSTS: '127.0.0.1',
      API_KEYS: apiKeysEnv([
        { name: 'clusters-admin', secret: ADMIN_KEY, role: 'admin' },
        { name: 'clusters-viewer', secret: VIEWER_KEY, role: 'viewer' },
      ]),
    },
  );
  const ask = <T>(query: string, variables: Record<string, unknown> = {}, headers = ADMIN) =>
    gql<T>(stack.url, query, variables, headers);

  const npuCards = (cluster: string): number => stack.model.npus(cluster).length;
  const physicalGpus = (cluster: string): number =>
    new Set(stack.model.gpus(cluster).map((g) => g.uuid)).size;

  it('lists the clusters with health and GPU / NPU / node counts from both clusters', async () => {
    const res = await ask<{ clusters: ApiCluster[] }>(LIST);
    expect(res.errors).toBeUndefined();
    expect(res.data!.clusters.map((c) => [c.name, c.status, c.gpuCount, c.npuCount, c.nodeCount])).toEqual(
      [east, west].map((c) => [c, 'UP', physicalGpus(c), npuCards(c), stack.model.nodes(c).length]),
    );
    for (const c of res.data!.clusters) {
      expect(c.latencyMs).toBeGreaterThanOrEqual(0);
      expect(Date.parse(c.lastSuccessAt!)).toBeGreaterThan(Date.now() - 60_000);
    }
  });

  it('answers cluster(name) with its summary, power and cluster → nodes → devices → pods topology', async () => {
    const res = await ask<{
      cluster: {
        summary: Record<string, number>;
        power: { totalWatts: number };
        topology: {
          cluster: string;
          nodes: {
            name: string;
            devices: { id: string; kind: string; pod: { name: string; namespace: string } | null }[];
            pods: { name: string; namespace: string; deviceIds: string[] }[];
          }[];
        };
      };
    }>(ONE, { n: east });
    expect(res.errors).toBeUndefined();
    const c = res.data!.cluster;
    const it = fleetPower(stack.model).itPowerWattsAt(east);
    expect(c.summary).toMatchObject({
      nodeCount: stack.model.nodes(east).length,
      gpuCount: physicalGpus(east),
      npuCount: npuCards(east),
      podCount: stack.model.pods(east).length,
      powerWatts: it,
    });
    expect(c.power.totalWatts).toBe(it);
    expect(c.topology.nodes.map((n) => n.name)).toEqual(
      stack.model
        .nodes(east)
        .map((n) => n.name)
        .sort(),
    );
    for (const node of c.topology.nodes) {
      const gpus = stack.model.nodeGpus(east, node.name);
      const npus = stack.model.nodeNpus(east, node.name);
      expect(
        node.devices
          .filter((d) => d.kind === 'GPU')
          .map((d) => [d.id, d.pod?.name ?? null])
          .sort(),
      ).toEqual(gpus.map((g) => [gpuKeyOf(g), g.pod ?? null]).sort());
      expect(
        node.devices
          .filter((d) => d.kind === 'NPU')
          .map((d) => [d.id, d.pod?.name ?? null])
          .sort(),
      ).toEqual(npus.map((n) => [n.uuid, n.pod ?? null]).sort());
      expect(node.pods.map((p) => `${p.namespace}/${p.name}`).sort()).toEqual(
        stack.model
          .pods(east)
          .filter((p) => p.node === node.name)
          .map((p) => `${p.namespace}/${p.name}`)
          .sort(),
      );
      for (const p of node.pods)
        expect(p.deviceIds.sort()).toEqual(
          node.devices
            .filter((d) => d.pod?.name === p.name && d.pod.namespace === p.namespace)
            .map((d) => d.id)
            .sort(),
        );
    }
    const missing = await ask(`{ cluster(name: "nowhere") { name } }`);
    expect(missing.errors?.[0]?.extensions!.code).toBe('NOT_FOUND');
  });

  it('validates registerCluster: URL scheme, name pattern, duplicate names; admins only', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: 'ftp-cluster', url: 'ftp://prom:9090' }, /http\(s\) URL/],
      [{ name: 'bad name!', url: 'http://prom:9090' }, /name must match/],
      [{ name: east, url: 'http://prom:9090' }, /already exists/],
    ];
    for (const [input, message] of cases) {
      const res = await ask(REGISTER, { i: input });
      expect(res.errors?.[0]?.extensions!.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toMatch(message);
    }
    const viewer = await ask(REGISTER, { i: { name: 'sneaky', url: 'http://prom:9090' } }, VIEWER);
    expect(viewer.errors?.[0]?.extensions!.code).toBe('FORBIDDEN');
  });

  it('registers and removes a cluster at run time, effective for the next query without a restart', async () => {
    // With gzip on: the mirror's answers below are decoded from Prometheus' compressed responses.
    const added = await ask<{ registerCluster: { name: string; status: string } }>(REGISTER, {
      i: { name: 'east-mirror', url: prometheusOf(stack, east).url, timeoutMs: 5000, compression: true },
    });
    expect(added.errors).toBeUndefined();
    expect(added.data!.registerCluster).toEqual({ name: 'east-mirror', status: 'UP' });
    const listed = await ask<{ clusters: ApiCluster[] }>(LIST);
    const mirror = listed.data!.clusters.find((c) => c.name === 'east-mirror')!;
    expect([mirror.status, mirror.gpuCount, mirror.nodeCount]).toEqual([
      'UP',
      physicalGpus(east),
      stack.model.nodes(east).length,
    ]);
    const gpus = await ask<{ gpus: { totalCount: number } }>(
      `{ gpus(filter: {cluster: "east-mirror"}, first: 1000) { totalCount } }`,
    );
    expect(gpus.data!.gpus.totalCount).toBe(stack.model.gpus(east).length);

    const removed = await ask<{ removeCluster: boolean }>(`mutation { removeCluster(name: "east-mirror") }`);
    expect(removed.data!.removeCluster).toBe(true);
    await pollUntil('the cluster to be gone', async () => {
      const res = await ask<{ clusters: ApiCluster[] }>(LIST);
      return res.data!.clusters.some((c) => c.name === 'east-mirror') ? undefined : true;
    });
    const again = await ask(`mutation { removeCluster(name: "east-mirror") }`);
    expect(again.errors?.[0]?.extensions!.code).toBe('NOT_FOUND');
  });
});
