import { defaultScenario } from '@kcloud/fleet-model';
import { apiKeysEnv, bearer } from './harness/api-keys';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { useStack } from './harness/use-stack';
import { connectWs } from './harness/ws-client';
import { eastWest } from './harness/stacks';

const ADMIN_KEY = 'kc_device_labels_admin_41f0';
const WEST_ONLY_KEY = 'kc_device_labels_west_9a2d';

type Labels = { name: string; value: string }[];
interface Row {
  cluster: string;
}
type Listed = Record<string, { totalCount: number; edges: { node: Row }[] } | null>;

const LISTS = `query($labels: [ClusterLabelMatchInput!], $cluster: String) {
  gpus(first: 1000, filter: { cluster: $cluster, clusterLabels: $labels }) { totalCount edges { node { cluster } } }
  npus(first: 1000, filter: { cluster: $cluster, clusterLabels: $labels }) { totalCount edges { node { cluster } } }
  accelerators(first: 1000, filter: { cluster: $cluster, clusterLabels: $labels }) {
    totalCount edges { node { cluster } } }
  nodes(first: 1000, filter: { cluster: $cluster, clusterLabels: $labels }) { totalCount edges { node { cluster } } }
  pods(first: 1000, filter: { cluster: $cluster, clusterLabels: $labels }) { totalCount edges { node { cluster } } }
}`;
const LIST_NAMES = ['gpus', 'npus', 'accelerators', 'nodes', 'pods'] as const;

/**
 * Cluster labels (PROMETHEUS_CLUSTERS labels) as a filter of the device and infrastructure lists, through real
 * Prometheus: resolved to cluster names before reading, intersected with `cluster` and with the key's scope.
 */
describe('clusterLabels filter on device, infrastructure, score and power reads', () => {
  const scenario = { ...defaultScenario(), tickSeconds: 3600 };
  const [east, west] = eastWest(scenario);
  const stack = useStack(
    scenario,
    [
      { name: east, shape: 'plain', labels: { platform: 'dgx', datacenter: 'dc1' } },
      {
        name: west,
        shape: 'exported',
        labels: { platform: 'hgx', datacenter: 'dc1' },
      },
    ],
    {
      // The analyzer runs (every second) so gpuScores has rows to select by label.
      ANALYZER_INTERVAL_SECONDS: '1',
      API_KEYS: apiKeysEnv([
        { name: 'device-labels-admin', secret: ADMIN_KEY, role: 'admin' },
        { name: 'device-labels-west', secret: WEST_ONLY_KEY, role: 'partner', clusters: [west] },
      ]),
    },
  );
  const lists = async (labels: Labels | undefined, cluster?: string, key = ADMIN_KEY) => {
    const res = await gql<Listed>(stack.url, LISTS, { labels, cluster }, bearer(key));
    expect(res.errors).toBeUndefined();
    return res.data!;
  };
  beforeAll(async () => {
    await pollUntil(
      'every list to hold its first scrape',
      async () => {
        const data = await lists(undefined);
        return data.gpus!.totalCount === stack.model.gpus().length &&
          LIST_NAMES.every((n) => data[n]!.totalCount > 0)
          ? true
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
  });
  const clustersOf = (data: Listed) =>
    Object.fromEntries(
      LIST_NAMES.map((n) => [n, [...new Set(data[n]!.edges.map((e) => e.node.cluster))].sort()]),
    );

  it('lists only the devices, nodes and pods of the clusters carrying the labels', async () => {
    const all = await lists(undefined);
    for (const n of LIST_NAMES) expect([n, all[n]!.totalCount > 0]).toEqual([n, true]);
    const hgx = await lists([{ name: 'platform', value: 'hgx' }]);
    expect(clustersOf(hgx)).toEqual(Object.fromEntries(LIST_NAMES.map((n) => [n, [west]])));
    // Every west row, none lost: the counts equal the unfiltered list's west rows.
    for (const n of LIST_NAMES)
      expect([n, hgx[n]!.totalCount]).toEqual([
        n,
        all[n]!.edges.filter((e) => e.node.cluster === west).length,
      ]);
    expect(hgx.gpus!.totalCount).toBe(stack.model.gpus().filter((g) => g.cluster === west).length);
    // Two labels: both must hold.
    const both = await lists([
      { name: 'datacenter', value: 'dc1' },
      { name: 'platform', value: 'dgx' },
    ]);
    expect(clustersOf(both).gpus).toEqual([east]);
    expect(both.gpus!.totalCount + hgx.gpus!.totalCount).toBe(all.gpus!.totalCount);
  });

  it('matches nothing (not everything) for a label no cluster carries, or one the named cluster lacks', async () => {
    for (const data of [
      await lists([{ name: 'platform', value: 'tpu' }]),
      await lists([{ name: 'platform', value: 'hgx' }], east),
    ])
      for (const n of LIST_NAMES) expect([n, data[n]!.totalCount]).toEqual([n, 0]);
  });

  it("stays within a cluster-scoped key's clusters", async () => {
    const dgx = await lists([{ name: 'platform', value: 'dgx' }], undefined, WEST_ONLY_KEY);
    for (const n of ['gpus', 'npus', 'accelerators'] as const)
      expect([n, dgx[n]!.totalCount]).toEqual([n, 0]);
    const dc1 = await lists([{ name: 'datacenter', value: 'dc1' }], undefined, WEST_ONLY_KEY);
    expect(clustersOf(dc1).gpus).toEqual([west]);
  });

  it('selects export rows by cluster label, through exportUrl and the download, and none for an unknown label', async () => {
    const gpusExport = async (labels: Labels, key = ADMIN_KEY) => {
      const url = await gql<{ exportUrl: string }>(
        stack.url,
        `query($labels: [ClusterLabelMatchInput!]) {
          exportUrl(dataset: GPUS, format: JSON, filter: { clusterLabels: $labels }) }`,
        { labels },
        bearer(key),
      );
      expect(url.errors).toBeUndefined();
      const res = await fetch(`${stack.url}${url.data!.exportUrl}`, { headers: bearer(key) });
      expect(res.status).toBe(200);
      return ((await res.json()) as { cluster: string }[]).map((r) => r.cluster);
    };
    const hgx = await gpusExport([{ name: 'platform', value: 'hgx' }]);
    expect(hgx).toHaveLength(stack.model.gpus().filter((g) => g.cluster === west).length);
    expect(new Set(hgx)).toEqual(new Set([west]));
    expect(await gpusExport([{ name: 'platform', value: 'tpu' }])).toEqual([]);
    // Within a cluster-scoped key's clusters: east carries dgx, the key sees west only.
    expect(await gpusExport([{ name: 'platform', value: 'dgx' }], WEST_ONLY_KEY)).toEqual([]);
    const bad = await fetch(`${stack.url}/api/v1/export/gpus?format=json&clusterLabel=no-equals-sign`, {
      headers: bearer(ADMIN_KEY),
    });
    expect([bad.status, ((await bad.json()) as { message: string }).message]).toEqual([
      400,
      expect.stringMatching(/clusterLabel must be name=value/),
    ]);
  });

  it('selects deviceHistory devices by cluster label', async () => {
    const to = Date.now();
    const res = await gql<{ deviceHistory: { totalCount: number; edges: { node: Row }[] } }>(
      stack.url,
      `query($range: TimeRangeInput!) { deviceHistory(range: $range, filter: { kinds: [GPU],
        clusterLabels: [{ name: "platform", value: "hgx" }] }, first: 200) { totalCount edges { node { cluster } } } }`,
      { range: { from: new Date(to - 60_000).toISOString(), to: new Date(to).toISOString() } },
      bearer(ADMIN_KEY),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.deviceHistory.totalCount).toBe(
      stack.model.gpus().filter((g) => g.cluster === west).length,
    );
    expect(new Set(res.data!.deviceHistory.edges.map((e) => e.node.cluster))).toEqual(new Set([west]));
  });

  describe('gpuScores', () => {
    type Scores = { totalCount: number; edges: { node: Row }[] };
    const SCORES = `query($labels: [ClusterLabelMatchInput!], $cluster: String) {
      gpuScores(first: 1000, filter: { cluster: $cluster, clusterLabels: $labels }) {
        totalCount edges { node { cluster } } } }`;
    const scores = async (labels: Labels | undefined, cluster?: string, key = ADMIN_KEY) => {
      const res = await gql<{ gpuScores: Scores }>(stack.url, SCORES, { labels, cluster }, bearer(key));
      expect(res.errors).toBeUndefined();
      return res.data!.gpuScores;
    };
    const clustersIn = (s: Scores) => [...new Set(s.edges.map((e) => e.node.cluster))].sort();
    let all: Scores;
    beforeAll(async () => {
      all = await pollUntil(
        'a cycle scoring the GPUs of both clusters',
        async () => {
          const s = await scores(undefined);
          return clustersIn(s).length === 2 ? s : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 1_000 },
      );
    });

    it('lists only the rows of the clusters carrying the labels', async () => {
      const hgx = await scores([{ name: 'platform', value: 'hgx' }]);
      expect(clustersIn(hgx)).toEqual([west]);
      const westRows = all.edges.filter((e) => e.node.cluster === west).length;
      expect(westRows).toBeGreaterThan(0);
      expect(hgx.totalCount).toBe(westRows);
      const both = await scores([
        { name: 'datacenter', value: 'dc1' },
        { name: 'platform', value: 'dgx' },
      ]);
      expect(clustersIn(both)).toEqual([east]);
      expect(both.totalCount + hgx.totalCount).toBe(all.totalCount);
    });

    it('matches nothing (no error) for a label no cluster carries, or one the named cluster lacks', async () => {
      expect((await scores([{ name: 'platform', value: 'tpu' }])).totalCount).toBe(0);
      expect((await scores([{ name: 'platform', value: 'hgx' }], east)).totalCount).toBe(0);
    });

    it("stays within a cluster-scoped key's clusters", async () => {
      expect((await scores([{ name: 'platform', value: 'dgx' }], undefined, WEST_ONLY_KEY)).totalCount).toBe(
        0,
      );
      expect(
        clustersIn(await scores([{ name: 'datacenter', value: 'dc1' }], undefined, WEST_ONLY_KEY)),
      ).toEqual([west]);
    });
  });

  it('takes clusterLabels on idleUsage, reclaimRecommendations and unmatchedGpuRequests: a label no cluster carries lists nothing', async () => {
    const to = Date.now();
    const res = await gql<{
      idleUsage: { key: string }[];
      reclaimRecommendations: { cluster: string }[];
      unmatchedGpuRequests: { cluster: string }[];
    }>(
      stack.url,
      `query($range: TimeRangeInput!, $labels: [ClusterLabelMatchInput!]) {
        idleUsage(range: $range, groupBy: CLUSTER, filter: { clusterLabels: $labels }) { key }
        reclaimRecommendations(filter: { clusterLabels: $labels }) { cluster }
        unmatchedGpuRequests(clusterLabels: $labels) { cluster } }`,
      {
        range: { from: new Date(to - 3_600_000).toISOString(), to: new Date(to).toISOString() },
        labels: [{ name: 'platform', value: 'tpu' }],
      },
      bearer(ADMIN_KEY),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ idleUsage: [], reclaimRecommendations: [], unmatchedGpuRequests: [] });
  });

  it('selects IPMI sensors and node power by cluster label', async () => {
    const read = async (labels: Labels) => {
      const res = await gql<{ ipmiSensors: Row[]; nodePower: Row[] }>(
        stack.url,
        `query($labels: [ClusterLabelMatchInput!]) { ipmiSensors(filter: { clusterLabels: $labels }) { cluster }
          nodePower(filter: { clusterLabels: $labels }) { cluster } }`,
        { labels },
        bearer(ADMIN_KEY),
      );
      expect(res.errors).toBeUndefined();
      return res.data!;
    };
    const clusters = (rows: Row[]) => [...new Set(rows.map((r) => r.cluster))].sort();
    const hgx = await pollUntil(
      "west's BMC sensors",
      async () => {
        const data = await read([{ name: 'platform', value: 'hgx' }]);
        return data.ipmiSensors.length > 0 && data.nodePower.length > 0 ? data : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    expect([clusters(hgx.ipmiSensors), clusters(hgx.nodePower)]).toEqual([[west], [west]]);
    expect(await read([{ name: 'platform', value: 'tpu' }])).toEqual({ ipmiSensors: [], nodePower: [] });
  });

  describe('power and energy', () => {
    type Power = { totalWatts: number; byCluster: { key: string; watts: number }[] };
    type Energy = { totalEnergyJoules: number; groups: { key: string }[] };
    const POWER = `query($labels: [ClusterLabelMatchInput!], $cluster: String, $range: TimeRangeInput!) {
      power(filter: { cluster: $cluster, clusterLabels: $labels }) { totalWatts byCluster { key watts } }
      energy(range: $range, groupBy: CLUSTER, filter: { cluster: $cluster, clusterLabels: $labels }) {
        totalEnergyJoules groups { key } } }`;
    const power = async (labels: Labels | undefined, cluster?: string, key = ADMIN_KEY) => {
      const to = Date.now();
      const range = { from: new Date(to - 60_000).toISOString(), to: new Date(to).toISOString() };
      const res = await gql<{ power: Power; energy: Energy }>(
        stack.url,
        POWER,
        { labels, cluster, range },
        bearer(key),
      );
      expect(res.errors).toBeUndefined();
      return res.data!;
    };
    const keys = (groups: readonly { key: string }[]) => groups.map((g) => g.key).sort();

    it('streams powerUpdated for the clusters carrying the labels, and none for an unknown label', async () => {
      const ws = connectWs(stack.url, bearer(ADMIN_KEY));
      try {
        await ws.connected;
        const SUB = `subscription($labels: [ClusterLabelMatchInput!]) {
          powerUpdated(clusterLabels: $labels, groupBy: CLUSTER, intervalSeconds: 1) { totalWatts groups { key } } }`;
        type Snapshot = { powerUpdated: { totalWatts: number; groups: { key: string }[] } };
        const first = async (labels: Labels) => {
          const sub = ws.subscribe(SUB, { labels });
          const event = await pollUntil('a power snapshot', async () => sub.events[0]);
          sub.stop();
          expect(event.errors).toBeUndefined();
          return (event.data as Snapshot).powerUpdated;
        };
        expect(keys((await first([{ name: 'platform', value: 'hgx' }])).groups)).toEqual([west]);
        const none = await first([{ name: 'platform', value: 'tpu' }]);
        expect([none.totalWatts, none.groups]).toEqual([0, []]);
      } finally {
        await ws.dispose();
      }
    });

    it('counts only the power and energy of the clusters carrying the labels', async () => {
      const all = await power(undefined);
      expect(keys(all.power.byCluster)).toEqual([east, west].sort());
      const hgx = await power([{ name: 'platform', value: 'hgx' }]);
      expect(keys(hgx.power.byCluster)).toEqual([west]);
      expect(keys(hgx.energy.groups)).toEqual([west]);
      expect(hgx.power.totalWatts).toBeGreaterThan(0);
      expect(hgx.power.totalWatts).toBeLessThan(all.power.totalWatts);
    });

    it('counts nothing (no error) for a label no cluster carries, or one the named cluster lacks', async () => {
      for (const data of [
        await power([{ name: 'platform', value: 'tpu' }]),
        await power([{ name: 'platform', value: 'hgx' }], east),
      ]) {
        expect(data.power.totalWatts).toBe(0);
        expect(data.power.byCluster).toEqual([]);
        expect(data.energy.totalEnergyJoules).toBe(0);
      }
    });

    it("stays within a cluster-scoped key's clusters", async () => {
      const dgx = await power([{ name: 'platform', value: 'dgx' }], undefined, WEST_ONLY_KEY);
      expect(dgx.power.totalWatts).toBe(0);
      const dc1 = await power([{ name: 'datacenter', value: 'dc1' }], undefined, WEST_ONLY_KEY);
      expect(keys(dc1.power.byCluster)).toEqual([west]);
    });
  });
});
