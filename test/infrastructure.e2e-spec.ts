import { defaultScenario, FleetModel, fleetPower, type SimNodePower } from '@kcloud/fleet-model';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { bmcNodeMap } from './harness/power-jobs';
import { useStack } from './harness/use-stack';
import { eastWest } from './harness/stacks';
import { at } from './harness/indexed';

interface ApiNode {
  name: string;
  cluster: string;
  powerWatts: number | null;
  powerSource: string;
  gpuCapacity: number;
  gpuAllocatable: number;
  cpuUtilizationPercent: number | null;
  power: {
    cpuWatts: number | null;
    dramWatts: number | null;
    gpuWatts: number | null;
    npuWatts: number | null;
    otherWatts: number | null;
  };
  gpus: { uuid: string; id: string }[];
  pods: { name: string; namespace: string; powerWatts: number | null }[];
}

interface ApiPod {
  name: string;
  namespace: string;
  node: string | null;
  cluster: string;
  powerWatts: number | null;
  energyJoules: number | null;
  gpuRequests: number;
  gpus: { id: string }[];
}

const NODES = `query { nodes(first: 1000) { totalCount edges { node { name cluster powerWatts powerSource gpuCapacity gpuAllocatable
  cpuUtilizationPercent power { cpuWatts dramWatts gpuWatts npuWatts otherWatts } gpus { uuid id } pods { name namespace powerWatts } } } } }`;
const PODS = `query($f: PodFilterInput) { pods(filter: $f, first: 1000) { totalCount edges { node { name namespace node cluster powerWatts energyJoules gpuRequests gpus { id } } } } }`;

/** Kepler watts are rate()s of joule counters: within 2 % of the model (and of 0.05 W for near-zero parts). */
const close = (api: number | null | undefined, truth: number): boolean =>
  api !== null && api !== undefined && Math.abs(api - truth) <= Math.max(0.02 * Math.abs(truth), 0.05);

describe('nodes, pods and containers through real Prometheus scraping the simulated Kepler, ipmi_exporter and kube-state-metrics', () => {
  // Hour-long ticks hold the power still while the API and the model are compared.
  const scenario = { ...defaultScenario(), tickSeconds: 3600 };
  const [east, west] = eastWest(scenario);

  const stack = useStack(
    scenario,
    [
      // Kepler ≥0.10 names, BMC-addressed ipmi targets resolved through IPMI_BMC_NODE_MAP.
      { name: east, shape: 'plain', power: { kepler: 'v0.10', ipmi: 'bmc' } },
      // Kepler ≤0.7 names (per-cluster option), ipmi_exporter on each node (instance = <node>:9290).
      {
        name: west,
        shape: 'exported',
        hostnameLabel: 'hostname',
        power: { kepler: 'v0.7', ipmi: 'local' },
      },
    ],
    {
      CACHE_TTL_REALTIME_SECONDS: '0',
      POWER_RATE_WINDOW_SECONDS: '10',
      IPMI_BMC_NODE_MAP: JSON.stringify(bmcNodeMap(new FleetModel(scenario))),
    },
  );

  const truth = (cluster: string, node: string): SimNodePower =>
    fleetPower(stack.model).nodePowerAt(cluster, node)!;

  /** Every node's power by component agrees with the model (polled: a rate() window must cover only one tick). */
  function nodeMismatches(nodes: ApiNode[]): string[] {
    const out: string[] = [];
    for (const n of nodes) {
      const t = truth(n.cluster, n.name);
      const checks: [string, number | null, number][] = [
        ['cpu', n.power.cpuWatts, t.cpuPackageWatts],
        ['dram', n.power.dramWatts, t.dramWatts],
        ['gpu', n.power.gpuWatts, t.gpuWatts],
        ['other', n.power.otherWatts, t.otherWatts],
        ['cpu%', n.cpuUtilizationPercent ?? t.cpuUsageRatio * 100, t.cpuUsageRatio * 100],
      ];
      if (t.npuWatts > 0) checks.push(['npu', n.power.npuWatts, t.npuWatts]);
      for (const [what, api, expected] of checks)
        if (!close(api, expected)) out.push(`${n.cluster}/${n.name} ${what}: api ${api} model ${expected}`);
      // DCMI is a gauge of whole watts: exact.
      if (n.powerWatts !== t.serverInputWatts || n.powerSource !== 'IPMI_DCMI')
        out.push(`${n.name} power ${n.powerWatts} (${n.powerSource}) vs ${t.serverInputWatts}`);
    }
    return out;
  }

  it('lists every node with its GPUs and power by component equal to the simulator (Kepler ≥0.10 and ≤0.7)', async () => {
    let last: string[] = [];
    const nodes = await pollUntil('node power to match the model', async () => {
      const res = await gql<{ nodes: { totalCount: number; edges: { node: ApiNode }[] } }>(stack.url, NODES);
      expect(res.errors).toBeUndefined();
      const list = res.data!.nodes.edges.map((e) => e.node);
      last = nodeMismatches(list);
      return last.length === 0 ? list : undefined;
    }).catch((e: Error) => {
      throw new Error(`${e.message}\n${last.join('\n')}`);
    });
    expect(nodes.map((n) => `${n.cluster}/${n.name}`).sort()).toEqual(
      stack.model
        .nodes()
        .map((n) => `${n.cluster}/${n.name}`)
        .sort(),
    );
    for (const n of nodes) {
      const sim = stack.model.nodes(n.cluster).find((x) => x.name === n.name)!;
      const gpuResources = (list: readonly { resource: string; count: number }[]) =>
        list
          .filter((r) => r.resource === 'nvidia.com/gpu' || r.resource.startsWith('nvidia.com/mig-'))
          .reduce((s, r) => s + r.count, 0);
      expect([n.gpuCapacity, n.gpuAllocatable]).toEqual([
        gpuResources(sim.capacity),
        gpuResources(sim.allocatable),
      ]);
      expect(n.gpus.map((g) => g.id).sort()).toEqual(
        stack.model
          .nodeGpus(n.cluster, n.name)
          .map((g) => (g.migInstanceId ? `${g.uuid}/${g.migInstanceId}` : g.uuid))
          .sort(),
      );
      expect(n.pods.map((p) => `${p.namespace}/${p.name}`).sort()).toEqual(
        stack.model
          .pods(n.cluster)
          .filter((p) => p.node === n.name)
          .map((p) => `${p.namespace}/${p.name}`)
          .sort(),
      );
    }
    expect(nodes.some((n) => (n.power.npuWatts ?? 0) > 0)).toBe(stack.model.npus().length > 0);
  });

  it('lists every pod with its node, GPU requests, GPUs, Kepler power (2 %) and energy counters', async () => {
    const power = fleetPower(stack.model);
    let last: string[] = [];
    const pods = await pollUntil('pod power to match the model', async () => {
      const res = await gql<{ pods: { totalCount: number; edges: { node: ApiPod }[] } }>(stack.url, PODS);
      expect(res.errors).toBeUndefined();
      const list = res.data!.pods.edges.map((e) => e.node);
      last = list.flatMap((p) => {
        const t = power
          .nodePowerAt(p.cluster, p.node!)
          ?.pods.find((x) => x.pod === p.name && x.namespace === p.namespace);
        const watts = t ? t.cpuPackageWatts + t.dramWatts + t.gpuWatts : NaN;
        return close(p.powerWatts, watts)
          ? []
          : [`${p.cluster}/${p.namespace}/${p.name}: api ${p.powerWatts} model ${watts}`];
      });
      return last.length === 0 ? list : undefined;
    }).catch((e: Error) => {
      throw new Error(`${e.message}\n${last.join('\n')}`);
    });
    const expected = stack.model.pods();
    expect(pods.map((p) => `${p.cluster}/${p.namespace}/${p.name}`).sort()).toEqual(
      expected.map((p) => `${p.cluster}/${p.namespace}/${p.name}`).sort(),
    );
    for (const p of pods) {
      const sim = expected.find(
        (x) => x.cluster === p.cluster && x.namespace === p.namespace && x.name === p.name,
      )!;
      expect([p.node, p.gpuRequests]).toEqual([sim.node, sim.gpuRequests]);
      expect(p.gpus.map((g) => g.id).sort()).toEqual(
        stack.model
          .gpus(p.cluster)
          .filter((g) => g.namespace === p.namespace && g.pod === p.name)
          .map((g) => (g.migInstanceId ? `${g.uuid}/${g.migInstanceId}` : g.uuid))
          .sort(),
      );
      // Counters move between the scrape and this read: relative tolerance. GPU joules count only while the pod draws GPU power.
      const e = power.nodeEnergyAt(p.cluster, p.node!)!.pods.get(sim.uid)!;
      const t = power.nodePowerAt(p.cluster, p.node!)!.pods.find((x) => x.uid === sim.uid)!;
      const joules = e.cpuPackageJoules + e.dramJoules + (t.gpuWatts > 0 ? e.gpuJoules : 0);
      expect(Math.abs(p.energyJoules! - joules) / joules).toBeLessThan(2e-3);
    }
  });

  it('filters pods by namespace and node, and treats hostile values as literals', async () => {
    const pod = at(stack.model.pods(west), 0, `pod of ${west}`);
    const byNamespace = await gql<{ pods: { edges: { node: ApiPod }[] } }>(stack.url, PODS, {
      f: { namespace: pod.namespace },
    });
    expect(byNamespace.data!.pods.edges.map((e) => e.node.name).sort()).toEqual(
      stack.model
        .pods()
        .filter((p) => p.namespace === pod.namespace)
        .map((p) => p.name)
        .sort(),
    );
    const byNode = await gql<{ pods: { edges: { node: ApiPod }[] } }>(stack.url, PODS, {
      f: { cluster: west, node: pod.node },
    });
    expect(byNode.data!.pods.edges.every((e) => e.node.node === pod.node)).toBe(true);
    for (const namespace of ['a"}or vector(1)#', '.*', 'ml-training|inference']) {
      const res = await gql<{ pods: { totalCount: number } }>(stack.url, PODS, { f: { namespace } });
      expect(res.errors).toBeUndefined();
      expect(res.data!.pods.totalCount).toBe(0);
    }
  });

  it('lists containers with their pod and power', async () => {
    const res = await gql<{
      containers: {
        edges: { node: { name: string; pod: string; namespace: string; powerWatts: number | null } }[];
      };
    }>(stack.url, `{ containers(first: 1000) { edges { node { name pod namespace powerWatts } } } }`);
    expect(res.errors).toBeUndefined();
    const got = res
      .data!.containers.edges.map((e) => `${e.node.namespace}/${e.node.pod}/${e.node.name}`)
      .sort();
    expect(got).toEqual(
      stack.model
        .pods()
        .map((p) => `${p.namespace}/${p.name}/${p.container}`)
        .sort(),
    );
    expect(res.data!.containers.edges.every((e) => (e.node.powerWatts ?? 0) > 0)).toBe(true);
  });

  it('answers node(name) and NOT_FOUND for an unknown node', async () => {
    const n = at(stack.model.nodes(east), 0, `node of ${east}`);
    const one = await gql<{ node: { name: string; cluster: string } }>(
      stack.url,
      `query($n: String!) { node(name: $n) { name cluster } }`,
      { n: n.name },
    );
    expect(one.data!.node).toEqual({ name: n.name, cluster: east });
    const missing = await gql(stack.url, `{ node(name: "no-such-node") { name } }`);
    expect(missing.errors?.[0]?.extensions!.code).toBe('NOT_FOUND');
  });

  it('answers vms with NOT_SUPPORTED', async () => {
    const res = await gql(stack.url, `{ vms { name } }`);
    expect(res.errors?.[0]?.extensions!.code).toBe('NOT_SUPPORTED');
  });
});
