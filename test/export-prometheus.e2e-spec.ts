import { defaultScenario } from '@kcloud/fleet-model';
import { ClusterRegistry, type PrometheusRequestEvent } from '@kcloud/prometheus';
import { readArrow, readCsv } from './harness/export-readers';
import { exactGpuCells, simGpuOfRow } from './harness/export-truth';
import { pollUntil } from './harness/poll';
import { bothScrapeShapes, eastWest } from './harness/stacks';
import { useStack } from './harness/use-stack';
import { prometheusOf } from './harness/stack';

describe('exports through a real Prometheus scraping the fleet simulator', () => {
  // Hour-long ticks keep every value constant during the test, so exported values compare exactly with the model.
  const scenario = { ...defaultScenario(), tickSeconds: 3600 };
  const [east, west] = eastWest(scenario);
  const stack = useStack(scenario, bothScrapeShapes(scenario), {
    CACHE_TTL_REALTIME_SECONDS: '0',
    RATE_LIMIT_PER_MINUTE: '100000',
  });

  /**
   * Downloads the last `points` whole seconds (step 1 s) until every step holds a sample of every device: right
   * after start the oldest steps may precede the first scrape.
   */
  async function recent<T>(
    dataset: string,
    format: string,
    points: number,
    read: (bytes: Buffer) => T[],
    perPoint: number,
  ): Promise<T[]> {
    return pollUntil(`${points} scraped steps of ${dataset}`, async () => {
      const to = Math.floor(Date.now() / 1000) - 1;
      const res = await fetch(
        `${stack.url}/api/v1/export/${dataset}?format=${format}&from=${to - points + 1}&to=${to}&step=1`,
      );
      if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
      const rows = read(Buffer.from(await res.arrayBuffer()));
      return rows.length === points * perPoint ? rows : undefined;
    });
  }

  it('exports GPU metric series of both scrape shapes equal to the simulator, with a constant number of range queries', async () => {
    const registry = stack.app.get(ClusterRegistry);
    const seen: PrometheusRequestEvent[] = [];
    const off = registry.onRequest((e) => seen.push(e));
    const devices = stack.model.gpus().length;
    const rows = await recent('metrics', 'csv', 5, readCsv, devices);
    off();
    for (const row of rows) {
      const sim = simGpuOfRow(stack.model, row, 'timestamp');
      expect(row).toMatchObject(exactGpuCells(sim));
      expect(Number(row.power_watts)).toBeCloseTo(sim.powerWatts, 5);
      expect(Math.abs(Number(row.energy_joules) / (sim.energyMillijoules / 1000) - 1)).toBeLessThan(1e-3);
    }
    expect(rows.some((r) => r.cluster === west && r.namespace)).toBe(true);
    expect(rows.every((r) => r.pod !== 'nvidia-dcgm-exporter-x7k2p')).toBe(true);
    // The last (successful) export read 5 points in 2 chunks (1 point to learn the density, then 4): 2 range
    // queries per chunk per cluster, whatever the number of GPUs (13 per cluster here).
    const lastRun = seen.slice(seen.map((e) => e.endpoint).lastIndexOf('query') + 1);
    for (const cluster of [east, west])
      expect(lastRun.filter((e) => e.cluster === cluster && e.endpoint === 'query_range')).toHaveLength(4);
  });

  it('exports power per node and namespace as Arrow, every board counted once per step', async () => {
    const groups = new Set(stack.model.gpus().map((g) => `${g.cluster}|${g.node}|${g.namespace ?? ''}`)).size;
    const rows = await recent('power', 'arrow', 3, (bytes) => readArrow(bytes).rows, groups);
    const total = new Map<number, number>();
    for (const r of rows)
      total.set(r.timestamp as number, (total.get(r.timestamp as number) ?? 0) + (r.power_watts as number));
    expect(total.size).toBe(3);
    for (const [ts, watts] of total) {
      const boards = new Map(stack.model.gpus(undefined, ts).map((g) => [g.uuid, g.powerWatts]));
      expect(watts).toBeCloseTo(
        [...boards.values()].reduce((a, b) => a + b, 0),
        2,
      );
    }
    expect(rows.some((r) => r.cluster === west && r.namespace === 'inference')).toBe(true);
  });

  it('refuses a download that would miss a failed cluster (502 naming it), serves the healthy one when selected', async () => {
    await prometheusOf(stack, west).stop();
    const res = await fetch(`${stack.url}/api/v1/export/metrics?format=csv&period=1h&step=10m`);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-disposition')).toBeNull();
    expect(await res.json()).toMatchObject({ code: 'CLUSTER_UNAVAILABLE', cluster: west });
    const healthy = await fetch(`${stack.url}/api/v1/export/gpus?format=csv&cluster=${east}`);
    expect(healthy.status).toBe(200);
    const rows = readCsv(Buffer.from(await healthy.arrayBuffer()));
    expect(rows).toHaveLength(stack.model.gpus(east).length);
  });
});
