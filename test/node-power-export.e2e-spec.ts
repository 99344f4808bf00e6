import { defaultScenario, fleetPower } from '@kcloud/fleet-model';
import { adminTenantClusterKeys, apiKeysEnv } from './harness/api-keys';
import { readCsv } from './harness/export-readers';
import { pollUntil } from './harness/poll';
import { useStack } from './harness/use-stack';
import { eastWest } from './harness/stacks';

const ADMIN = 'node-power-admin-key-4c1d';
const TENANT = 'node-power-tenant-key-8e2a';
const WEST_ONLY = 'node-power-west-key-2b7f';

/**
 * The node-power export through real Prometheus scraping the simulator: per node and step the BMC's server input
 * (DCMI) where IPMI is scraped, empty cells where it is not, whole-node power by the shared rule, scoped.
 */
describe('node-power export (real Prometheus + fleet-sim)', () => {
  const scenario = { ...defaultScenario(), tickSeconds: 3600 };
  const [east, west] = eastWest(scenario);

  const stack = useStack(
    scenario,
    [
      { name: east, shape: 'plain', power: { ipmi: 'local' } },
      // No ipmi_exporter on west: its server input cells stay empty.
      { name: west, shape: 'exported', power: { ipmi: false } },
    ],
    {
      ANALYZER_ENABLED: 'false',
      POWER_RATE_WINDOW_SECONDS: '10',
      API_KEYS: apiKeysEnv(
        adminTenantClusterKeys('np', { admin: ADMIN, tenant: TENANT, cluster: WEST_ONLY }, west),
      ),
    },
  );

  const download = async (key: string, query = '') => {
    const to = new Date(Math.floor(Date.now() / 1000) * 1000);
    const from = new Date(to.getTime() - 60_000);
    const res = await fetch(
      `${stack.url}/api/v1/export/node-power?format=csv&from=${from.toISOString()}&to=${to.toISOString()}&step=15s${query}`,
      { headers: { authorization: `Bearer ${key}` } },
    );
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
  };

  it('exports each node’s BMC input power where IPMI is scraped, and empty cells where it is not', async () => {
    const power = fleetPower(stack.model);
    const rows = await pollUntil(
      'a step with every node',
      async () => {
        const { status, body } = await download(ADMIN);
        expect(status).toBe(200);
        const all = readCsv(body);
        const last = all.filter((r) => r.timestamp === all.at(-1)?.timestamp);
        return last.length === stack.model.nodes().length ? all : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 2_000 },
    );
    expect(Object.keys(rows[0]!)).toEqual([
      'timestamp',
      'cluster',
      'node',
      'node_power_watts',
      'node_power_source',
      'server_input_watts',
      'platform_watts',
      'cpu_package_watts',
      'dram_watts',
      'gpu_watts',
      'npu_watts',
      'other_watts',
    ]);
    // Steps before a node's first IPMI scrape have no input for it: exact values are checked at the last step.
    const last = rows.filter((r) => r.timestamp === rows.at(-1)!.timestamp);
    for (const r of rows.filter((x) => x.cluster === east && x.server_input_watts !== ''))
      expect([r.node, Number(r.server_input_watts)]).toEqual([
        r.node,
        power.nodePowerAt(east, r.node!)!.serverInputWatts,
      ]);
    for (const r of last) {
      const sim = power.nodePowerAt(r.cluster!, r.node!)!;
      if (r.cluster === east) {
        expect([r.node, Number(r.server_input_watts)]).toEqual([r.node, sim.serverInputWatts]);
        expect([r.node, r.node_power_source, Number(r.node_power_watts)]).toEqual([
          r.node,
          'ipmi_dcmi',
          sim.serverInputWatts,
        ]);
      } else {
        expect([r.node, r.server_input_watts]).toEqual([r.node, '']);
        expect(r.node_power_source).not.toBe('ipmi_dcmi');
        expect(Number(r.node_power_watts)).toBeGreaterThan(0);
      }
    }
  });

  it('narrows to a cluster-scoped key’s cluster and refuses a namespace-scoped key (node-wide data)', async () => {
    const westRows = readCsv((await download(WEST_ONLY)).body);
    expect(westRows.length).toBeGreaterThan(0);
    expect(new Set(westRows.map((r) => r.cluster))).toEqual(new Set([west]));
    const refused = await download(TENANT);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body.toString())).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('adds node power by cluster to the report: BMC input where scraped, empty where not; none for a namespace key', async () => {
    type Report = { sections: Record<string, { rows: Record<string, unknown>[] } | undefined> };
    const report = async (key: string): Promise<Report> => {
      const to = new Date(Math.floor(Date.now() / 1000) * 1000);
      const from = new Date(to.getTime() - 30_000);
      const res = await fetch(
        `${stack.url}/api/v1/export/report?format=json&from=${from.toISOString()}&to=${to.toISOString()}&step=5s`,
        { headers: { authorization: `Bearer ${key}` } },
      );
      expect(res.status).toBe(200);
      return (await res.json()) as Report;
    };
    const power = fleetPower(stack.model);
    const eastInput = power.nodePowersAt(east).reduce((s, n) => s + n.serverInputWatts, 0);
    const rows = await pollUntil(
      'both clusters in the node power section',
      async () => {
        const r = (await report(ADMIN)).sections.node_power_by_cluster?.rows ?? [];
        // Steps from before every node's first scrape sum fewer nodes: wait until the range is all scraped.
        return r.length === 2 && r.find((x) => x.cluster === east)?.average_server_input_watts === eastInput
          ? r
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 2_000 },
    );
    const byCluster = new Map(rows.map((r) => [r.cluster, r]));
    expect(byCluster.get(east)).toMatchObject({
      nodes: stack.model.nodes(east).length,
      average_server_input_watts: eastInput,
      average_node_power_watts: eastInput,
    });
    expect(byCluster.get(west)).toMatchObject({
      nodes: stack.model.nodes(west).length,
      average_server_input_watts: null,
    });
    expect(Number(byCluster.get(west)!.average_node_power_watts)).toBeGreaterThan(0);
    expect((await report(TENANT)).sections.node_power_by_cluster).toBeUndefined();
  });
});
