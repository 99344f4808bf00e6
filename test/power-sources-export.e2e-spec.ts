import { defaultScenario, fleetPower } from '@kcloud/fleet-model';
import { adminTenantClusterKeys, apiKeysEnv } from './harness/api-keys';
import { readArrow, readCsv, readNdjson, readParquet, readPdfText, readXlsx } from './harness/export-readers';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { ipmiOnEastOnly, eastWest } from './harness/stacks';
import { useStack } from './harness/use-stack';

const ADMIN = 'power-sources-admin-key-5d1e';
const TENANT = 'power-sources-tenant-key-7a3c';
const WEST_ONLY = 'power-sources-west-key-9b2f';
/** The namespace of adminTenantClusterKeys' tenant key. */
const TENANT_NAMESPACE = 'inference';
/** Kepler watts are rate()s of joule counters: within 2 % of the model. */
const within = (api: number, truth: number, share = 0.02): boolean =>
  Math.abs(api - truth) <= Math.max(share * Math.abs(truth), 0.05);

type CsvRow = Record<string, string>;

/**
 * The `power` export's sources through real Prometheus scraping the simulator: Kepler node components, Kepler pod
 * power, IPMI server input, the unified view (equal to GraphQL powerTimeseries, PUE from the facility meter), the
 * default still GPU boards, tenant scope, every format.
 */
describe('power export sources (real Prometheus + fleet-sim)', () => {
  const scenario = { ...defaultScenario(), tickSeconds: 3600 };
  const [east, west] = eastWest(scenario);

  const stack = useStack(scenario, ipmiOnEastOnly(scenario), {
    ANALYZER_ENABLED: 'false',
    POWER_RATE_WINDOW_SECONDS: '10',
    PUE_FACILITY_QUERY: 'sum(facility_power_watts)',
    RATE_LIMIT_PER_MINUTE: '100000',
    API_KEYS: apiKeysEnv(
      adminTenantClusterKeys('ps', { admin: ADMIN, tenant: TENANT, cluster: WEST_ONLY }, west),
    ),
  });

  /**
   * A range ending at a whole second at least 2 s ago (every cluster's last scrape is in) with 5 points: the last
   * minute at 15 s by default, or the last 20 s at 5 s where every step must already hold data.
   */
  const lastRange = (seconds = 60) => {
    const to = new Date(Math.floor(Date.now() / 1000) * 1000 - 2000);
    return { from: new Date(to.getTime() - seconds * 1000), to, stepSeconds: seconds / 4 };
  };
  const download = async (key: string, query: string, range = lastRange()) => {
    const res = await fetch(
      `${stack.url}/api/v1/export/power?from=${range.from.toISOString()}&to=${range.to.toISOString()}&step=${range.stepSeconds}&${query}`,
      { headers: { authorization: `Bearer ${key}` } },
    );
    return {
      status: res.status,
      disposition: res.headers.get('content-disposition'),
      body: Buffer.from(await res.arrayBuffer()),
    };
  };
  const csv = async (query: string, key = ADMIN, range = lastRange()): Promise<CsvRow[]> => {
    const { status, body } = await download(key, `format=csv&${query}`, range);
    expect([query, status]).toEqual([query, 200]);
    return readCsv(body);
  };
  /**
   * Rows of the range's last step once `check` passes on them (it throws through expect until then): rate() needs two
   * scrapes and each target's first scrape lands at its own time, so the first steps of a fresh stack are partial.
   */
  const lastStep = (query: string, check: (rows: CsvRow[]) => void, key = ADMIN) =>
    pollUntil(
      `${query}: a last step equal to the simulator`,
      async () => {
        const rows = await csv(query, key);
        const last = rows.filter((r) => r.timestamp === rows.at(-1)?.timestamp);
        check(last);
        return last;
      },
      { timeoutMs: 60_000, intervalMs: 2_000 },
    );
  const power = () => fleetPower(stack.model);

  it('keeps GPU board power the default: the same bytes as source=gpu, and the same columns as before', async () => {
    const { range, plain } = await pollUntil('GPU power rows', async () => {
      const at = lastRange();
      const res = await download(ADMIN, 'format=csv', at);
      expect(res.status).toBe(200);
      return readCsv(res.body).length ? { range: at, plain: res } : undefined;
    });
    const gpu = await download(ADMIN, 'format=csv&source=gpu', range);
    expect(gpu.body.equals(plain.body)).toBe(true);
    expect(plain.disposition).toMatch(/filename="kcloud-power-\d{8}T\d{6}Z-/);
    expect(Object.keys(readCsv(plain.body)[0]!)).toEqual([
      'timestamp',
      'cluster',
      'node',
      'namespace',
      'gpu_count',
      'power_watts',
    ]);
  });

  it('exports each node’s BMC input with source=ipmi, equal to the simulator’s, empty where IPMI is not scraped', async () => {
    const last = await lastStep('source=ipmi', (rows) => {
      expect(rows).toHaveLength(stack.model.nodes().length);
      for (const r of rows) {
        const expected =
          r.cluster === east ? String(power().nodePowerAt(east, r.node!)!.serverInputWatts) : '';
        expect([r.node, r.server_input_watts]).toEqual([r.node, expected]);
      }
    });
    expect(Object.keys(last[0]!)).toEqual(['timestamp', 'cluster', 'node', 'server_input_watts']);
  });

  it('exports Kepler’s node components with source=node, within 2 % of the simulator', async () => {
    const last = await lastStep('source=node', (rows) => {
      expect(rows).toHaveLength(stack.model.nodes().length);
      for (const r of rows) {
        const sim = power().nodePowerAt(r.cluster!, r.node!)!;
        expect({
          node: r.node,
          cpu: [Number(r.cpu_package_watts), sim.cpuPackageWatts],
          dram: [Number(r.dram_watts), sim.dramWatts],
          ok:
            within(Number(r.cpu_package_watts), sim.cpuPackageWatts) &&
            within(Number(r.dram_watts), sim.dramWatts),
        }).toMatchObject({ node: r.node, ok: true });
      }
    });
    // Column names and order: node-power-rows.spec; here the cells the simulator can vouch for.
    expect(Object.keys(last[0]!)).toEqual(
      expect.arrayContaining(['cpu_package_watts', 'dram_watts', 'gpu_watts']),
    );
  });

  it('exports Kepler’s pod power with source=pod, per namespace within 2 % of the simulator; a tenant sees its own', async () => {
    const simPods = power()
      .nodePowersAt()
      .flatMap((n) => n.pods.map((p) => ({ ...p, cluster: n.cluster })));
    const byNamespace = (rows: { namespace: string; watts: number }[]) => {
      const sums = new Map<string, number>();
      for (const r of rows) sums.set(r.namespace, (sums.get(r.namespace) ?? 0) + r.watts);
      return sums;
    };
    const truth = byNamespace(
      simPods.map((p) => ({ namespace: p.namespace, watts: p.cpuPackageWatts + p.dramWatts + p.gpuWatts })),
    );
    const last = await lastStep('source=pod', (rows) => {
      expect(rows).toHaveLength(simPods.length);
      const exported = byNamespace(
        rows.map((r) => ({ namespace: r.namespace!, watts: Number(r.power_watts) })),
      );
      expect([...exported.keys()].sort()).toEqual([...truth.keys()].sort());
      for (const [ns, watts] of exported)
        expect({ ns, watts, truth: truth.get(ns), ok: within(watts, truth.get(ns)!) }).toMatchObject({
          ns,
          ok: true,
        });
    });
    expect(Object.keys(last[0]!)).toEqual(expect.arrayContaining(['namespace', 'pod', 'power_watts']));

    const tenantRows = await csv('source=pod', TENANT);
    expect(tenantRows.length).toBeGreaterThan(0);
    expect(new Set(tenantRows.map((r) => r.namespace))).toEqual(new Set([TENANT_NAMESPACE]));
  });

  it('exports the unified view with source=unified: cluster power as powerTimeseries states it, PUE from the meter', async () => {
    const clusters = stack.model.clusters().length;
    // Wait for a range that lies wholly after the first scrapes: every step then has both clusters and a PUE.
    const { rows, range } = await pollUntil(
      'a unified range with a PUE at every step',
      async () => {
        const at = lastRange(20);
        const r = await csv('source=unified', ADMIN, at);
        return r.length === 5 * clusters && r.every((x) => x.pue !== '') ? { rows: r, range: at } : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 3_000 },
    );
    expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['power_watts', 'it_power_watts', 'pue']));
    const series = await gql<{
      powerTimeseries: { series: { key: string; points: { timestamp: string; watts: number }[] }[] };
    }>(
      stack.url,
      `query($r: TimeRangeInput!) { powerTimeseries(range: $r, groupBy: CLUSTER) { series { key points { timestamp watts } } } }`,
      { r: { from: range.from.toISOString(), to: range.to.toISOString(), stepSeconds: range.stepSeconds } },
      { authorization: `Bearer ${ADMIN}` },
    );
    expect(series.errors).toBeUndefined();
    const graph = new Map(
      series.data!.powerTimeseries.series.flatMap((s) =>
        s.points.map((p) => [`${s.key}|${new Date(p.timestamp).toISOString()}`, p.watts]),
      ),
    );
    expect(rows).toHaveLength(graph.size);
    for (const r of rows) {
      const key = `${r.cluster}|${new Date(r.timestamp!).toISOString()}`;
      expect({ key, watts: Number(r.power_watts) }).toEqual({ key, watts: graph.get(key) });
      // PUE = facility / IT, the pue query's rule; the simulated meter is the fleet's IT power × its PUE.
      expect(Number(r.pue)).toBeCloseTo(Number(r.facility_power_watts) / Number(r.it_power_watts), 9);
      expect({ key, ok: within(Number(r.pue), power().facilityPue, 0.02) }).toEqual({ key, ok: true });
      const types = ['cpu_watts', 'dram_watts', 'gpu_watts', 'npu_watts', 'other_watts'];
      const parts = types.reduce((s, t) => s + (r[t] === '' ? 0 : Number(r[t])), 0);
      expect(parts).toBeCloseTo(Number(r.power_watts), 6);
    }
    // East's IT power is its BMCs' input: exactly the simulator's.
    const eastIt = power()
      .nodePowersAt(east)
      .reduce((s, n) => s + n.serverInputWatts, 0);
    expect(rows.filter((r) => r.cluster === east).map((r) => Number(r.it_power_watts))).toEqual(
      rows.filter((r) => r.cluster === east).map(() => eastIt),
    );
  });

  it('writes the unified rows in every format with the same columns and machine units', async () => {
    const range = lastRange();
    const get = async (format: string) => {
      const res = await download(ADMIN, `format=${format}&source=unified`, range);
      expect([format, res.status]).toEqual([format, 200]);
      expect(res.disposition).toContain(`kcloud-power-unified-`);
      return res.body;
    };
    const reference = readCsv(await get('csv'));
    const json = JSON.parse((await get('json')).toString('utf8')) as Record<string, unknown>[];
    const ndjson = readNdjson(await get('ndjson'));
    const parquet = (await readParquet(await get('parquet'))).rows;
    const arrow = readArrow(await get('arrow'));
    const xlsx = [...(await readXlsx(await get('xlsx'))).values()][0]!;
    const pdf = await readPdfText(await get('pdf'));
    for (const [format, rows] of [
      ['json', json],
      ['ndjson', ndjson],
      ['parquet', parquet],
      ['arrow', arrow.rows],
    ] as const) {
      expect([format, rows.length]).toEqual([format, reference.length]);
      expect([format, Object.keys(rows[0]!)]).toEqual([format, Object.keys(reference[0]!)]);
      expect([format, Number(rows[0]!.power_watts)]).toEqual([format, Number(reference[0]!.power_watts)]);
    }
    expect(xlsx.some((row) => row.includes('facility_power_watts'))).toBe(true);
    expect(pdf.text).toContain('Unified power');
  });

  it('links to a source through GraphQL exportUrl, and refuses a source on another dataset', async () => {
    const admin = { authorization: `Bearer ${ADMIN}` };
    const link = await gql<{ exportUrl: string }>(
      stack.url,
      '{ exportUrl(dataset: POWER, format: CSV, powerSource: UNIFIED) }',
      {},
      admin,
    );
    expect(link.errors).toBeUndefined();
    expect(link.data!.exportUrl).toMatch(/^\/api\/v1\/export\/power\?format=csv&.*source=unified/);
    const res = await fetch(`${stack.url}${link.data!.exportUrl}`, { headers: admin });
    expect(res.status).toBe(200);
    expect(Object.keys(readCsv(Buffer.from(await res.arrayBuffer()))[0] ?? {})).toContain('pue');
    const refused = await gql(
      stack.url,
      '{ exportUrl(dataset: GPUS, format: CSV, powerSource: NODE) }',
      {},
      admin,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('narrows to a cluster key’s cluster, refuses node-wide sources to a namespace key and an unknown source', async () => {
    for (const source of ['node', 'ipmi', 'unified', 'pod']) {
      const rows = await csv(`source=${source}`, WEST_ONLY);
      expect([source, rows.length > 0]).toEqual([source, true]);
      expect([source, new Set(rows.map((r) => r.cluster))]).toEqual([source, new Set([west])]);
    }
    for (const source of ['node', 'ipmi', 'unified']) {
      const res = await download(TENANT, `format=csv&source=${source}`);
      expect([source, res.status]).toEqual([source, 403]);
      expect(JSON.parse(res.body.toString())).toMatchObject({ code: 'FORBIDDEN' });
    }
    const bad = await download(ADMIN, 'format=csv&source=kepler');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body.toString()).message).toBe(
      'source must be one of gpu, node, pod, ipmi, unified',
    );
    const nsOnNode = await download(ADMIN, 'format=csv&source=ipmi&namespace=inference');
    expect(nsOnNode.status).toBe(400);
  });
});
