import { defaultScenario, FleetModel, gpuKeyOf } from '@kcloud/fleet-model';
import { startFleetSim, type RunningFleetSim } from '../apps/fleet-sim/src/server';
import { acceleratorTargets } from '../apps/fleet-sim/src/accelerator-targets';
import { dcgmNodePath } from '../apps/fleet-sim/src/targets';
import { type RunningApp, startApp } from './harness/app';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { type RunningPrometheus, startPrometheus, waitForSeries } from './harness/prometheus';
import { at, atLeast } from './harness/indexed';

const CLUSTER = 'kcloud-east';
const INTERVAL_SECONDS = 2;
const FROZEN_SAMPLES = 4;

interface Quality {
  status: string;
  sampleAgeSeconds: number | null;
  scrapeIntervalSeconds: number | null;
  nullFields: { field: string; reason: string }[];
  reason: string | null;
}
interface GpuRow {
  id: string;
  uuid: string;
  node: string;
  model: string;
  temperatureCelsius: number | null;
  powerWatts: number | null;
  dataQuality: Quality;
}

const GPUS = `query($filter: GpuFilterInput) { gpus(filter: $filter, first: 1000) { totalCount edges { node {
  id uuid node model temperatureCelsius powerWatts
  dataQuality { status sampleAgeSeconds scrapeIntervalSeconds nullFields { field reason } reason } } } } }`;

/**
 * dataQuality through the real path: fleet-sim serves one dcgm-exporter target per node (as the DaemonSet does), a
 * real Prometheus scrapes them every INTERVAL_SECONDS, and the API reads that Prometheus. Targets are taken down and
 * GPUs frozen through the simulator's control API; the expected devices come from the simulator's model.
 */
describe('device data quality through a real Prometheus scraping the fleet simulator', () => {
  let model: FleetModel;
  let sim: RunningFleetSim;
  let prom: RunningPrometheus;
  let api: RunningApp;
  let nodes: [string, string, ...string[]];

  beforeAll(async () => {
    model = new FleetModel({ ...defaultScenario(), tickSeconds: 1 });
    sim = await startFleetSim({ model, port: 0 });
    nodes = atLeast(
      model
        .nodes(CLUSTER)
        .filter((n) => n.gpuCount > 0)
        .map((n) => n.name),
      2,
      'GPU nodes',
    );
    prom = await startPrometheus(
      [
        {
          jobName: 'dcgm-exporter',
          targets: [],
          metricsPath: '/metrics',
          honorLabels: true,
          targetGroups: nodes.map((node) => ({
            targets: [`127.0.0.1:${sim.port}`],
            labels: { __metrics_path__: dcgmNodePath(CLUSTER, node), instance: `${node}:9400` },
          })),
        },
        {
          jobName: 'npu-exporters',
          targets: [],
          metricsPath: '/metrics',
          honorLabels: true,
          targetGroups: npuTargets().map((t) => ({
            targets: [`127.0.0.1:${sim.port}`],
            labels: { __metrics_path__: t.path, instance: `${t.node}:${t.exporter}` },
          })),
        },
      ],
      { scrapeIntervalSeconds: INTERVAL_SECONDS },
    );
    await prom.waitForTargets(nodes.length + npuTargets().length);
    // Enough history for the interval to be measured from the up series (two scrapes at least).
    await waitForSeries(prom.url, `count_over_time(up[${3 * INTERVAL_SECONDS}s]) >= 3`, nodes.length);
    api = await startApp({
      LOG_LEVEL: 'warn',
      PROMETHEUS_CLUSTERS: JSON.stringify([{ name: CLUSTER, url: prom.url, timeoutMs: 5000 }]),
      PROMETHEUS_RETRIES: '0',
      CACHE_TTL_REALTIME_SECONDS: '0',
      DATA_FROZEN_SAMPLES: String(FROZEN_SAMPLES),
      DATA_DOWN_LOOKBACK_SECONDS: '120',
    });
  }, 90_000);

  afterAll(async () => {
    await api?.app.close();
    await prom?.stop();
    await sim?.close();
  });

  afterEach(async () => {
    for (const node of nodes)
      await control('/control/target', { path: dcgmNodePath(CLUSTER, node), state: 'up' });
    for (const t of npuTargets()) await control('/control/target', { path: t.path, state: 'up' });
    await control('/control/freeze', { frozen: false });
    await control('/control/blank', { value: null });
  });

  /** The Furiosa / Rebellions exporter targets of the cluster, one per node and vendor. */
  const npuTargets = () =>
    acceleratorTargets(model, CLUSTER).filter((t) => t.exporter === 'furiosa' || t.exporter === 'rbln');

  async function control(path: string, body: unknown): Promise<void> {
    const res = await fetch(`${sim.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
    expect(res.status).toBe(204);
  }

  async function gpus(filter: Record<string, unknown> = {}): Promise<GpuRow[]> {
    const res = await gql<{ gpus: { edges: { node: GpuRow }[] } }>(api.url, GPUS, { filter });
    expect(res.errors).toBeUndefined();
    return res.data!.gpus.edges.map((e) => e.node);
  }

  const keysOn = (node: string) => model.nodeGpus(CLUSTER, node).map(gpuKeyOf).sort();

  it('reports every GPU of healthy targets as OK with a fresh sample and the measured scrape interval', async () => {
    // The interval is measured once a target has a few seconds of up samples.
    const all = await pollUntil('every GPU OK with its interval', async () => {
      const rows = await gpus();
      const known = rows.every(
        (g) => g.dataQuality.status === 'OK' && g.dataQuality.scrapeIntervalSeconds !== null,
      );
      return rows.length > 0 && known ? rows : undefined;
    });
    expect(all.map((g) => g.id).sort()).toEqual(nodes.flatMap(keysOn).sort());
    for (const g of all) {
      // Measured from sample timestamps, which a loaded Prometheus stamps a few ms late: within 10 %.
      expect(Math.abs(g.dataQuality.scrapeIntervalSeconds! - INTERVAL_SECONDS)).toBeLessThan(
        INTERVAL_SECONDS / 10,
      );
      expect(g.dataQuality.sampleAgeSeconds).toBeLessThan(2 * INTERVAL_SECONDS);
      expect(g.dataQuality.nullFields).toEqual([]);
      expect(g.dataQuality.reason).toBeNull();
    }
    // A GPU read on its own resolves dataQuality through the per-request loader.
    const one = await gql<{ gpu: { dataQuality: Quality } }>(
      api.url,
      `{ gpu(uuid: "${at(all, 0, 'GPU row').id}") { dataQuality { status scrapeIntervalSeconds } } }`,
    );
    expect(one.errors).toBeUndefined();
    expect(one.data!.gpu.dataQuality).toEqual({ status: 'OK', scrapeIntervalSeconds: INTERVAL_SECONDS });
  });

  it('lists the GPUs of a target that went down as EXPORTER_DOWN within two scrape intervals, in the field, the filter, the cluster counts and /metrics', async () => {
    const [down, healthy] = nodes;
    await pollUntil('every GPU OK', async () =>
      (await gpus()).every((g) => g.dataQuality.status === 'OK') ? true : undefined,
    );
    const started = Date.now();
    await control('/control/target', { path: dcgmNodePath(CLUSTER, down), state: 'unavailable' });
    const rows = await pollUntil(
      `GPUs of ${down} EXPORTER_DOWN`,
      async () => {
        const r = await gpus();
        const onDown = r.filter((g) => g.node === down);
        return onDown.length > 0 && onDown.every((g) => g.dataQuality.status === 'EXPORTER_DOWN')
          ? r
          : undefined;
      },
      // Two scrape intervals, plus one for the request that observes it.
      { timeoutMs: 3 * INTERVAL_SECONDS * 1000, intervalMs: 100 },
    );
    const elapsedMs = Date.now() - started;
    expect(elapsedMs).toBeLessThanOrEqual(3 * INTERVAL_SECONDS * 1000);

    // Still listed with their last identity, readings null, reason in words.
    const onDown = rows.filter((g) => g.node === down);
    expect(onDown.map((g) => g.id).sort()).toEqual(keysOn(down));
    for (const g of onDown) {
      expect(g.model).toBe(at(model.nodeGpus(CLUSTER, down), 0, `simulated GPU on ${down}`).model);
      expect(g.temperatureCelsius).toBeNull();
      expect(g.powerWatts).toBeNull();
      expect(g.dataQuality.reason).toContain(`${down}:9400`);
    }
    expect(rows.filter((g) => g.node === healthy).every((g) => g.dataQuality.status === 'OK')).toBe(true);

    const single = await gql<{ gpu: { id: string; dataQuality: Quality } }>(
      api.url,
      `{ gpu(uuid: "${at(onDown, 0, `GPU row on ${down}`).id}") { id dataQuality { status } } }`,
    );
    expect(single.errors).toBeUndefined();
    expect(single.data!.gpu.dataQuality.status).toBe('EXPORTER_DOWN');

    const filtered = await gpus({ dataQuality: ['EXPORTER_DOWN'] });
    expect(filtered.map((g) => g.id).sort()).toEqual(keysOn(down));
    const ok = await gpus({ dataQuality: ['OK'] });
    expect(ok.some((g) => g.node === down)).toBe(false);

    const clusters = await gql<{
      clusters: { name: string; deviceQuality: { status: string; count: number }[] }[];
    }>(api.url, '{ clusters { name deviceQuality { status count } } }');
    expect(clusters.errors).toBeUndefined();
    const counts = Object.fromEntries(
      clusters.data!.clusters.find((c) => c.name === CLUSTER)!.deviceQuality.map((q) => [q.status, q.count]),
    );
    expect(counts.EXPORTER_DOWN).toBe(keysOn(down).length);
    expect(counts.OK).toBe(
      nodes.filter((n) => n !== down).flatMap(keysOn).length + model.npus(CLUSTER).length,
    );

    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toContain(
      `kcloud_devices{cluster="${CLUSTER}",quality="EXPORTER_DOWN"} ${keysOn(down).length}`,
    );

    await control('/control/target', { path: dcgmNodePath(CLUSTER, down), state: 'up' });
    await pollUntil(`GPUs of ${down} OK again`, async () => {
      const back = (await gpus()).filter((g) => g.node === down);
      return back.length > 0 && back.every((g) => g.dataQuality.status === 'OK') ? true : undefined;
    });
  });

  it('treats a refused connection like a failed scrape', async () => {
    const down = nodes[1];
    await control('/control/target', { path: dcgmNodePath(CLUSTER, down), state: 'refused' });
    const rows = await pollUntil(
      `GPUs of ${down} EXPORTER_DOWN`,
      async () => {
        const r = (await gpus()).filter((g) => g.node === down);
        return r.length > 0 && r.every((g) => g.dataQuality.status === 'EXPORTER_DOWN') ? r : undefined;
      },
      { timeoutMs: 3 * INTERVAL_SECONDS * 1000, intervalMs: 100 },
    );
    expect(rows.map((g) => g.id).sort()).toEqual(keysOn(down));
  });

  it('marks a frozen GPU FROZEN once its readings stayed identical for the configured number of scrapes, and only it', async () => {
    const target = model.nodeGpus(CLUSTER, nodes[0]).find((g) => g.migInstanceId === undefined)!;
    await pollUntil('every GPU OK', async () =>
      (await gpus()).every((g) => g.dataQuality.status === 'OK') ? true : undefined,
    );
    const started = Date.now();
    await control('/control/freeze', { uuid: target.uuid });
    const rows = await pollUntil(
      `${target.uuid} FROZEN`,
      async () => {
        const r = await gpus();
        return r.find((g) => g.id === target.uuid)?.dataQuality.status === 'FROZEN' ? r : undefined;
      },
      { timeoutMs: (FROZEN_SAMPLES + 4) * INTERVAL_SECONDS * 1000, intervalMs: 200 },
    );
    // Not before the configured number of identical scrapes could have been taken.
    expect(Date.now() - started).toBeGreaterThanOrEqual((FROZEN_SAMPLES - 1) * INTERVAL_SECONDS * 1000);
    expect(rows.filter((g) => g.dataQuality.status === 'FROZEN').map((g) => g.id)).toEqual([target.uuid]);
    expect(rows.find((g) => g.id === target.uuid)!.dataQuality.reason).toContain(
      `${FROZEN_SAMPLES} consecutive scrapes`,
    );
    expect((await gpus({ dataQuality: ['FROZEN'] })).map((g) => g.id)).toEqual([target.uuid]);
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toContain(`kcloud_devices{cluster="${CLUSTER}",quality="FROZEN"} 1`);
  });

  it('marks a frozen NPU card FROZEN after the configured number of identical scrapes, and no other card', async () => {
    type NpuRow = { uuid: string; dataQuality: Quality };
    const NPUS = `{ npus(first: 100) { edges { node { uuid dataQuality { status reason } } } } }`;
    const npus = async (): Promise<NpuRow[]> => {
      const res = await gql<{ npus: { edges: { node: NpuRow }[] } }>(api.url, NPUS);
      expect(res.errors).toBeUndefined();
      return res.data!.npus.edges.map((e) => e.node);
    };
    const target = model.npus(CLUSTER)[0]!;
    await pollUntil('every NPU OK', async () =>
      (await npus()).every((n) => n.dataQuality.status === 'OK') ? true : undefined,
    );
    await control('/control/freeze', { uuid: target.uuid });
    const rows = await pollUntil(
      `${target.uuid} FROZEN`,
      async () => {
        const r = await npus();
        return r.find((n) => n.uuid === target.uuid)?.dataQuality.status === 'FROZEN' ? r : undefined;
      },
      { timeoutMs: (FROZEN_SAMPLES + 4) * INTERVAL_SECONDS * 1000, intervalMs: 200 },
    );
    // No lower bound on the time as for GPUs: a card has no energy counter, so scrapes just before the freeze may
    // already have read the same power and temperature, and count.
    expect(rows.filter((n) => n.dataQuality.status === 'FROZEN').map((n) => n.uuid)).toEqual([target.uuid]);
    expect(rows.find((n) => n.uuid === target.uuid)!.dataQuality.reason).toContain(
      `${FROZEN_SAMPLES} consecutive scrapes`,
    );
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toContain(`kcloud_devices{cluster="${CLUSTER}",quality="FROZEN"} 1`);
    // Thawed, its readings move again and it is OK once the window holds a change.
    await control('/control/freeze', { uuid: target.uuid, frozen: false });
    await pollUntil(
      `${target.uuid} OK again`,
      async () =>
        (await npus()).find((n) => n.uuid === target.uuid)?.dataQuality.status === 'OK' ? true : undefined,
      { timeoutMs: (FROZEN_SAMPLES + 4) * INTERVAL_SECONDS * 1000, intervalMs: 200 },
    );
  });

  it('marks a GPU whose temperature is a DCGM blank PARTIAL, names the field and counts the refused reading', async () => {
    const target = model.nodeGpus(CLUSTER, nodes[1]).find((g) => g.migInstanceId === undefined)!;
    await control('/control/blank', { field: 'DCGM_FI_DEV_GPU_TEMP', uuid: target.uuid, value: 'int64' });
    let reads = 0;
    const row = await pollUntil(`${target.uuid} PARTIAL`, async () => {
      reads++;
      const g = (await gpus()).find((r) => r.id === target.uuid);
      return g?.dataQuality.status === 'PARTIAL' ? g : undefined;
    });
    expect(row.temperatureCelsius).toBeNull();
    expect(row.dataQuality.nullFields).toEqual([{ field: 'temperatureCelsius', reason: 'DCGM_BLANK' }]);
    expect(row.dataQuality.reason).toContain('temperatureCelsius (DCGM_BLANK)');
    expect((await gpus({ dataQuality: ['PARTIAL'] })).map((g) => g.id)).toEqual([target.uuid]);

    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    const counted = new RegExp(
      `^kcloud_device_readings_invalid_total\\{cluster="${CLUSTER}",exporter="dcgm",field="temperatureCelsius",reason="DCGM_BLANK"\\} (\\d+)$`,
      'm',
    ).exec(metrics);
    // Once per scrape the API read, not per read: never more than the reads made (plus the /metrics collection).
    expect(Number(counted?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(counted?.[1])).toBeLessThanOrEqual(reads + 2);
  });

  it('lists the NPUs of a down NPU exporter target as EXPORTER_DOWN within two scrape intervals, in npus and accelerators', async () => {
    const t = at(npuTargets(), 0, 'NPU exporter target');
    const expected = model
      .npus(CLUSTER)
      .filter((n) => n.node === t.node)
      .map((n) => n.uuid)
      .sort();
    const NPUS = `{ npus(first: 100, filter: { dataQuality: [EXPORTER_DOWN] }) { edges { node { uuid node powerWatts dataQuality { status reason } } } }
      accelerators(first: 1000, filter: { kind: NPU, dataQuality: [EXPORTER_DOWN] }) { totalCount } }`;
    type Npus = {
      npus: {
        edges: { node: { uuid: string; node: string; powerWatts: number | null; dataQuality: Quality } }[];
      };
      accelerators: { totalCount: number };
    };
    await control('/control/target', { path: t.path, state: 'unavailable' });
    const data = await pollUntil(
      `NPUs of ${t.node} EXPORTER_DOWN`,
      async () => {
        const res = await gql<Npus>(api.url, NPUS);
        expect(res.errors).toBeUndefined();
        // Both fields read Prometheus on their own: wait until both have seen the failed scrape.
        const { npus, accelerators } = res.data!;
        if (npus.edges.length === expected.length && accelerators.totalCount === expected.length)
          return res.data!;
        // Reported by pollUntil if the deadline passes: what the API said last.
        throw new Error(`EXPORTER_DOWN NPUs: ${JSON.stringify(res.data!.npus.edges)}`);
      },
      { timeoutMs: 3 * INTERVAL_SECONDS * 1000, intervalMs: 100 },
    );
    expect(data.npus.edges.map((e) => e.node.uuid).sort()).toEqual(expected);
    for (const { node } of data.npus.edges) {
      expect(node.node).toBe(t.node);
      expect(node.powerWatts).toBeNull();
      expect(node.dataQuality.reason).toContain(`${t.node}:${t.exporter}`);
    }
    expect(data.accelerators.totalCount).toBe(expected.length);
  });
});
