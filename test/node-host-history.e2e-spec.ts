import { defaultScenario, HOST_PHYSICAL_NET_DEVICES, simHost } from '@kcloud/fleet-model';
import { apiKeysEnv, bearer } from './harness/api-keys';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { useStack } from './harness/use-stack';
import { eastWest } from './harness/stacks';

const ADMIN = 'node-host-history-admin-7c1e';

interface Point {
  timestamp: string;
  memoryTotalBytes: number | null;
  memoryAvailableBytes: number | null;
  load1: number | null;
  load5: number | null;
  load15: number | null;
  rootFilesystemUsedPercent: number | null;
  networkReceiveBytesPerSecond: number | null;
  networkTransmitBytesPerSecond: number | null;
  nodePowerWatts: number | null;
}
interface HistoryNode {
  cluster: string;
  name: string;
  history: Point[];
}

const POINT = `timestamp memoryTotalBytes memoryAvailableBytes load1 load5 load15 rootFilesystemUsedPercent
  networkReceiveBytesPerSecond networkTransmitBytesPerSecond nodePowerWatts`;
const HOST_METRICS = [
  'MEMORY_TOTAL_BYTES',
  'MEMORY_AVAILABLE_BYTES',
  'LOAD1',
  'LOAD5',
  'LOAD15',
  'ROOT_FILESYSTEM_USED_PERCENT',
  'NETWORK_RECEIVE_BYTES_PER_SECOND',
  'NETWORK_TRANSMIT_BYTES_PER_SECOND',
];
const QUERY = `query($range: TimeRangeInput!, $metrics: [NodeHistoryMetric!]) { nodes(first: 50) { edges { node {
  cluster name history(range: $range, stepSeconds: 15, metrics: $metrics) { ${POINT} } } } } }`;

/**
 * Node.history's node_exporter readings (memory bytes, load, root filesystem, network) through real Prometheus
 * scraping the simulator, and the same through deviceHistory. The hour-long tick holds the gauges still.
 */
describe('Node.history node_exporter metrics (real Prometheus + fleet-sim)', () => {
  const scenario = { ...defaultScenario(), tickSeconds: 3600 };
  const [east, west] = eastWest(scenario);
  const stack = useStack(
    scenario,
    [
      // Kepler's node power names the nodes as node_exporter's instances do (as in host-metrics.e2e-spec).
      { name: east, shape: 'plain', nodeExporter: true, power: { ipmi: false } },
      { name: west, shape: 'exported', nodeExporter: true, power: { ipmi: false } },
    ],
    {
      ANALYZER_ENABLED: 'false',
      POWER_RATE_WINDOW_SECONDS: '10',
      CACHE_TTL_REALTIME_SECONDS: '0',
      API_KEYS: apiKeysEnv([{ name: 'nhh-admin', secret: ADMIN, role: 'admin' }]),
    },
  );
  const range = () => {
    const to = Math.floor(Date.now() / 15_000) * 15_000;
    return { from: new Date(to - 30_000).toISOString(), to: new Date(to).toISOString() };
  };

  it("answers each node's memory, load and root filesystem equal to the simulator's, and its network rates", async () => {
    const nodes = await pollUntil(
      'a last step with every node’s network rates',
      async () => {
        const res = await gql<{ nodes: { edges: { node: HistoryNode }[] } }>(
          stack.url,
          QUERY,
          { range: range(), metrics: HOST_METRICS },
          bearer(ADMIN),
        );
        expect(res.errors).toBeUndefined();
        const list = res.data!.nodes.edges.map((e) => e.node);
        return list.length > 0 && list.every((n) => n.history.at(-1)?.networkTransmitBytesPerSecond != null)
          ? list
          : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 2_000 },
    );
    expect(nodes).toHaveLength(stack.model.nodes().length);
    for (const n of nodes) {
      const last = n.history.at(-1)!;
      // Only the metrics asked for: no power read.
      expect(last.nodePowerWatts).toBeNull();
      const sim = simHost(n.cluster, n.name, Date.parse(last.timestamp));
      const root = sim.filesystems.find((f) => f.mountpoint === '/')!;
      expect([
        n.name,
        last.memoryTotalBytes,
        last.memoryAvailableBytes,
        last.load1,
        last.load5,
        last.load15,
      ]).toEqual([
        n.name,
        sim.memoryTotalBytes,
        sim.memoryAvailableBytes,
        sim.load.load1,
        sim.load.load5,
        sim.load.load15,
      ]);
      expect(last.rootFilesystemUsedPercent).toBeCloseTo(
        (100 * (root.sizeBytes - root.availBytes)) / root.sizeBytes,
        9,
      );
      // Rates carry one scrape-timing factor per scrape (see host-metrics.e2e-spec): both directions the same one,
      // over the physical interfaces only (a sum over lo/veth/cali too would break the equality of the two factors).
      const physical = sim.network.filter((d) =>
        (HOST_PHYSICAL_NET_DEVICES as readonly string[]).includes(d.device),
      );
      const rx =
        last.networkReceiveBytesPerSecond! / physical.reduce((t, d) => t + d.receiveBytesPerSecond, 0);
      const tx =
        last.networkTransmitBytesPerSecond! / physical.reduce((t, d) => t + d.transmitBytesPerSecond, 0);
      expect(rx).toBeCloseTo(tx, 4);
      expect(rx).toBeGreaterThan(0.1);
      expect(rx).toBeLessThan(4);
    }
  });

  it('gives deviceHistory the same node series as Node.history', async () => {
    const r = range();
    const variables = { range: { ...r, stepSeconds: 15 } };
    const viaDevices = await gql<{
      deviceHistory: { edges: { node: { cluster: string; node: string; nodePoints: Point[] } }[] };
    }>(
      stack.url,
      `query($range: TimeRangeInput!) { deviceHistory(filter: { kinds: [NODE] }, range: $range,
        metrics: { node: [LOAD1, MEMORY_TOTAL_BYTES] }) { edges { node { cluster node nodePoints { ${POINT} } } } } }`,
      variables,
      bearer(ADMIN),
    );
    const viaNodes = await gql<{ nodes: { edges: { node: HistoryNode }[] } }>(
      stack.url,
      QUERY,
      { range: r, metrics: ['LOAD1', 'MEMORY_TOTAL_BYTES'] },
      bearer(ADMIN),
    );
    expect(viaDevices.errors).toBeUndefined();
    const byKey = new Map(
      viaNodes.data!.nodes.edges.map((e) => [`${e.node.cluster}/${e.node.name}`, e.node.history]),
    );
    const series = viaDevices.data!.deviceHistory.edges.map((e) => e.node);
    expect(series).toHaveLength(byKey.size);
    for (const s of series) {
      expect(s.nodePoints).toEqual(byKey.get(`${s.cluster}/${s.node}`));
      expect(s.nodePoints.at(-1)!.load1).not.toBeNull();
    }
  });
});
