import { defaultScenario, FleetModel, simContainerUsage } from '@kcloud/fleet-model';
import { apiKeysEnv, bearer } from './harness/api-keys';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { useStack } from './harness/use-stack';
import { eastWest } from './harness/stacks';

const ADMIN_KEY = 'cadvisor-e2e-admin-52e1';
const ADMIN = bearer(ADMIN_KEY);
const TENANT_KEY = 'cadvisor-e2e-tenant-9b07';
const TENANT = bearer(TENANT_KEY);

const PODS = `{ pods(first: 1000) { edges { node { name namespace cluster node cpuCores memoryWorkingSetBytes } } } }`;
const CONTAINERS = `{ containers(first: 1000) { edges { node { name pod namespace cluster cpuCores memoryWorkingSetBytes } } } }`;

interface Usage {
  name: string;
  pod?: string;
  node?: string;
  namespace: string;
  cluster: string;
  cpuCores: number | null;
  memoryWorkingSetBytes: number | null;
}

/** Container CPU and memory from cAdvisor through real Prometheus scraping the simulator, equal to its ground truth. */
describe('container usage (cAdvisor → Prometheus → Pod, Container)', () => {
  const scenario = { ...defaultScenario(), tickSeconds: 3600 };
  const [east, west] = eastWest(scenario);
  const tenantNamespace = new FleetModel(scenario).pods().find((p) => p.phase === 'Running')!.namespace;

  const stack = useStack(
    scenario,
    [
      {
        name: east,
        shape: 'plain',
        cadvisor: true,
        power: { kepler: 'v0.10', ipmi: false, facility: false },
      },
      {
        name: west,
        shape: 'exported',
        cadvisor: true,
        power: { kepler: 'v0.10', ipmi: false, facility: false },
      },
    ],
    {
      ANALYZER_ENABLED: 'false',
      CACHE_TTL_REALTIME_SECONDS: '0',
      POWER_RATE_WINDOW_SECONDS: '10',
      API_KEYS: apiKeysEnv([
        { name: 'cadvisor-admin', secret: ADMIN_KEY, role: 'admin' },
        {
          name: 'cadvisor-tenant',
          secret: TENANT_KEY,
          role: 'partner',
          namespaces: [tenantNamespace],
        },
      ]),
    },
  );

  const read = async (query: string, field: 'pods' | 'containers', headers = ADMIN): Promise<Usage[]> => {
    const res = await gql<Record<string, { edges: { node: Usage }[] }>>(stack.url, query, {}, headers);
    expect(res.errors).toBeUndefined();
    return res.data![field]!.edges.map((e) => e.node);
  };
  const running = () => stack.model.pods().filter((p) => p.phase === 'Running');
  const truthOf = (cluster: string, namespace: string, pod: string) => {
    const p = running().find((x) => x.cluster === cluster && x.namespace === namespace && x.name === pod);
    return p ? simContainerUsage(p, Date.now()) : [];
  };

  it('reports each running pod’s and container’s working set exactly and CPU within the scrape-timing factor', async () => {
    const pods = await pollUntil(
      'every running pod with both readings',
      async () => {
        const list = (await read(PODS, 'pods')).filter(
          (p) => p.cpuCores !== null && p.memoryWorkingSetBytes !== null,
        );
        if (list.length === running().length) return list;
        throw new Error(`${list.length}/${running().length} pods with readings`);
      },
      { timeoutMs: 30_000, intervalMs: 1_000 },
    );
    expect(pods.length).toBeGreaterThan(0);
    const factors = new Map<string, number>();
    for (const p of pods) {
      const truth = truthOf(p.cluster, p.namespace, p.name);
      expect(p.memoryWorkingSetBytes).toBe(truth.reduce((t, c) => t + c.memoryWorkingSetBytes, 0));
      // The simulator renders counters at request time and Prometheus stamps them at scrape time: the rate is the
      // container's cores times (render interval / scrape interval), a factor near 1 (see host-metrics e2e).
      const factor = p.cpuCores! / truth.reduce((t, c) => t + c.cpuCores, 0);
      expect(factor).toBeGreaterThan(0.1);
      expect(factor).toBeLessThan(4);
      // One scrape of the node's cAdvisor carries every container on it: one factor per node, so the per-pod values
      // are exact up to it (a wrong sum, or a pause/pod-cgroup row counted in, would break the equality).
      const first = factors.get(`${p.cluster}/${p.node}`);
      if (first === undefined) factors.set(`${p.cluster}/${p.node}`, factor);
      else expect(factor).toBeCloseTo(first, 4);
    }
    const containers = (await read(CONTAINERS, 'containers')).filter((c) => c.memoryWorkingSetBytes !== null);
    expect(containers.length).toBe(running().length);
    for (const c of containers) {
      const truth = truthOf(c.cluster, c.namespace, c.pod!).find((u) => u.container === c.name)!;
      expect(c.memoryWorkingSetBytes).toBe(truth.memoryWorkingSetBytes);
      expect(c.cpuCores! / truth.cpuCores).toBeGreaterThan(0.1);
      expect(c.cpuCores! / truth.cpuCores).toBeLessThan(4);
    }
  });

  it('gives a namespace-scoped key the readings of its own namespace’s pods', async () => {
    const pods = await read(PODS, 'pods', TENANT);
    expect(pods.length).toBeGreaterThan(0);
    expect(new Set(pods.map((p) => p.namespace))).toEqual(new Set([tenantNamespace]));
    const withReadings = pods.filter((p) => p.memoryWorkingSetBytes !== null);
    expect(withReadings.length).toBe(running().filter((p) => p.namespace === tenantNamespace).length);
    for (const p of withReadings)
      expect(p.memoryWorkingSetBytes).toBe(
        truthOf(p.cluster, p.namespace, p.name).reduce((t, c) => t + c.memoryWorkingSetBytes, 0),
      );
  });
});
