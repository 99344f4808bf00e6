import type { INestApplication } from '@nestjs/common';
import { defaultScenario, FleetModel, fleetPower } from '@kcloud/fleet-model';
import { loadConfig } from '@kcloud/common';
import { PowerStreamHub } from '@kcloud/monitoring';
import { createApp } from '../apps/api/src/bootstrap';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { bmcNodeMap } from './harness/power-jobs';
import { prometheusOf } from './harness/stack';
import { connectWs } from './harness/ws-client';
import { eastWest } from './harness/stacks';
import { at } from './harness/indexed';
import { useStack } from './harness/use-stack';

interface Group {
  key: string;
  cluster: string | null;
  watts: number;
}
interface PowerResult {
  power: {
    totalWatts: number;
    byCluster: Group[];
    byNode: Group[];
    byNamespace: Group[];
    byResourceType: Group[];
  };
}
interface PueResult {
  pue: {
    value: number | null;
    itPowerWatts: number | null;
    facilityPowerWatts: number | null;
    unattributedWatts: number | null;
    method: string;
    reason: string | null;
  };
}

const POWER = `query($f: PowerFilterInput) { power(filter: $f) { totalWatts byCluster { key watts } byNode { key cluster watts }
  byNamespace { key watts } byResourceType { key watts } } }`;
const PUE = `query($c: String!) { pue(cluster: $c) { value itPowerWatts facilityPowerWatts unattributedWatts method reason } }`;

/** Kepler watts are rate()s of joule counters: within 2 % of the model. */
const within = (api: number | undefined, truth: number, share = 0.02): boolean =>
  api !== undefined && Math.abs(api - truth) <= Math.max(share * Math.abs(truth), 0.05);
const byKey = (groups: Group[]): Map<string, number> =>
  new Map(groups.map((g) => [g.cluster ? `${g.cluster}/${g.key}` : g.key, g.watts]));

describe('unified power, PUE, history and live power through real Prometheus', () => {
  const scenario = { ...defaultScenario(), tickSeconds: 3600 };
  const [east, west] = eastWest(scenario);
  const extraApps: INestApplication[] = [];
  const stack = useStack(
    scenario,
    [
      { name: east, shape: 'plain', power: { kepler: 'v0.10', ipmi: 'bmc' } },
      { name: west, shape: 'exported', power: { kepler: 'v0.10-nodes', ipmi: 'local' } },
    ],
    {
      CACHE_TTL_REALTIME_SECONDS: '0',
      POWER_RATE_WINDOW_SECONDS: '10',
      ANALYZER_ENABLED: 'false',
      IPMI_BMC_NODE_MAP: JSON.stringify(bmcNodeMap(new FleetModel(scenario))),
      // The simulated facility meter, configured as the demo does.
      PUE_FACILITY_QUERY: 'sum(facility_power_watts)',
    },
    // The extra apps read the stack's Prometheus: closed first.
    { closeFirst: () => Promise.all(extraApps.map((app) => app.close())) },
  );

  /** The same API on the same Prometheus, with other power settings. */
  async function appWith(env: Record<string, string>): Promise<string> {
    const config = loadConfig({
      PORT: '0',
      LOG_LEVEL: 'warn',
      ANALYZER_ENABLED: 'false',
      PROMETHEUS_RETRIES: '0',
      PROMETHEUS_CLUSTERS: JSON.stringify(
        [east, west].map((name) => ({ name, url: prometheusOf(stack, name).url })),
      ),
      IPMI_BMC_NODE_MAP: JSON.stringify(bmcNodeMap(stack.model)),
      ...env,
    });
    const app = await createApp(config);
    extraApps.push(app);
    await app.listen(0, '127.0.0.1');
    return (await app.getUrl()).replace('[::1]', '127.0.0.1');
  }

  const power = () => fleetPower(stack.model);

  it('reports total, per-cluster and per-node power equal to the BMCs, and per-type / per-namespace within 2 %', async () => {
    let last = '';
    await pollUntil('power to match the model', async () => {
      const res = await gql<PowerResult>(stack.url, POWER);
      expect(res.errors).toBeUndefined();
      const p = res.data!.power;
      const nodes = power().nodePowersAt();
      const it = nodes.reduce((s, n) => s + n.serverInputWatts, 0);
      const sum = (pick: (n: (typeof nodes)[number]) => number): number =>
        nodes.reduce((s, n) => s + pick(n), 0);
      const pods = nodes.flatMap((n) => n.pods);
      const namespaces = new Map<string, number>();
      for (const pod of pods)
        namespaces.set(
          pod.namespace,
          (namespaces.get(pod.namespace) ?? 0) + pod.cpuPackageWatts + pod.dramWatts + pod.gpuWatts,
        );
      const types = byKey(p.byResourceType);
      const problems = [
        p.totalWatts === it ? '' : `total ${p.totalWatts} vs ${it}`,
        ...[east, west].map((c) =>
          byKey(p.byCluster).get(c) === power().itPowerWattsAt(c) ? '' : `cluster ${c}`,
        ),
        ...nodes.map((n) =>
          byKey(p.byNode).get(`${n.cluster}/${n.node}`) === n.serverInputWatts ? '' : `node ${n.node}`,
        ),
        ...[...namespaces].map(([ns, w]) =>
          within(byKey(p.byNamespace).get(ns), w)
            ? ''
            : `namespace ${ns}: ${byKey(p.byNamespace).get(ns)} vs ${w}`,
        ),
        within(
          types.get('CPU'),
          sum((n) => n.cpuPackageWatts),
        )
          ? ''
          : `CPU ${types.get('CPU')}`,
        within(
          types.get('DRAM'),
          sum((n) => n.dramWatts),
        )
          ? ''
          : `DRAM ${types.get('DRAM')}`,
        within(
          types.get('GPU'),
          sum((n) => n.gpuWatts),
        )
          ? ''
          : `GPU ${types.get('GPU')}`,
        within(
          types.get('NPU'),
          sum((n) => n.npuWatts),
        )
          ? ''
          : `NPU ${types.get('NPU')}`,
        within(
          types.get('OTHER'),
          sum((n) => n.otherWatts),
          0.05,
        )
          ? ''
          : `OTHER ${types.get('OTHER')}`,
      ].filter(Boolean);
      last = problems.join('; ');
      return problems.length ? undefined : true;
    }).catch((e: Error) => {
      throw new Error(`${e.message}: ${last}`);
    });
  });

  it('gives the same groups from powerBreakdown, and only a namespace’s pods for a namespace filter', async () => {
    const all = await gql<PowerResult>(stack.url, POWER);
    const breakdown = await gql<{ powerBreakdown: Group[] }>(
      stack.url,
      `{ powerBreakdown(groupBy: NODE) { key cluster watts } }`,
    );
    expect(byKey(breakdown.data!.powerBreakdown)).toEqual(byKey(all.data!.power.byNode));
    const ns = at(all.data!.power.byNamespace, 0, 'namespace group').key;
    const tenant = await gql<PowerResult>(stack.url, POWER, { f: { namespace: ns } });
    expect(tenant.data!.power.byNamespace.map((g) => g.key)).toEqual([ns]);
    expect(tenant.data!.power.totalWatts).toBeCloseTo(
      at(tenant.data!.power.byNamespace, 0, 'namespace group').watts,
      6,
    );
  });

  it('computes PUE from the simulated facility meter: facility / IT as the scenario sets it', async () => {
    for (const cluster of [east, west]) {
      const res = await gql<PueResult>(stack.url, PUE, { c: cluster });
      expect(res.errors).toBeUndefined();
      const pue = res.data!.pue;
      const it = power().itPowerWattsAt(cluster);
      const facility = power().facilityPowerWattsAt(cluster);
      expect(pue.method).toBe('MEASURED');
      expect(pue.reason).toBeNull();
      expect(pue.itPowerWatts).toBe(it);
      expect(pue.facilityPowerWatts).toBeCloseTo(facility, 6);
      expect(pue.value).toBeGreaterThan(1);
      expect(pue.value).toBeLessThan(3);
      expect(pue.value).toBeCloseTo(facility / it, 9);
      // What the seed called PUE: server power no component accounts for.
      // A difference of large numbers: Kepler's 2 % on the components, measured against IT power.
      const unattributed = power()
        .nodePowersAt(cluster)
        .reduce((s, n) => s + n.otherWatts, 0);
      expect(Math.abs(pue.unattributedWatts! - unattributed)).toBeLessThan(0.02 * it);
    }
  });

  it('says why there is no PUE without a facility source, and labels an overhead-factor estimate', async () => {
    const none = await gql<PueResult>(await appWith({}), PUE, { c: east });
    expect(none.data!.pue).toMatchObject({
      value: null,
      method: 'NONE',
      itPowerWatts: power().itPowerWattsAt(east),
    });
    expect(none.data!.pue.reason).toMatch(/no facility power source is configured.*PUE_FACILITY_QUERY/);
    const factor = await gql<PueResult>(await appWith({ PUE_OVERHEAD_FACTOR: '1.5' }), PUE, { c: east });
    expect(factor.data!.pue).toMatchObject({ value: 1.5, method: 'OVERHEAD_FACTOR' });
    expect(factor.data!.pue.reason).toMatch(/estimated/);
  });

  it('serves power time series per resource type from range queries, and bounds points per series', async () => {
    type Series = { key: string; points: { timestamp: string; watts: number }[] }[];
    const truth = power()
      .nodePowersAt()
      .reduce((s, n) => s + n.cpuPackageWatts, 0);
    // rate() under-reads until a series is one window old: poll until Prometheus holds a full window of data.
    const cpu = await pollUntil('three CPU points matching the model', async () => {
      const to = new Date(Date.now() - 1000);
      const res = await gql<{ powerTimeseries: { stepSeconds: number; series: Series } }>(
        stack.url,
        `query($r: TimeRangeInput!) { powerTimeseries(groupBy: RESOURCE_TYPE, range: $r) { stepSeconds series { key points { timestamp watts } } } }`,
        { r: { from: new Date(to.getTime() - 4000).toISOString(), to: to.toISOString(), stepSeconds: 2 } },
      );
      expect(res.errors).toBeUndefined();
      const series = res.data!.powerTimeseries.series.find((s) => s.key === 'CPU');
      return series && series.points.length === 3 && series.points.every((p) => within(p.watts, truth))
        ? series
        : undefined;
    });
    expect(cpu.points).toHaveLength(3);
    const to = new Date();
    const tooMany = await gql(
      stack.url,
      `query($r: TimeRangeInput!) { powerTimeseries(groupBy: CLUSTER, range: $r) { stepSeconds } }`,
      {
        r: { from: new Date(to.getTime() - 86_400_000).toISOString(), to: to.toISOString(), stepSeconds: 1 },
      },
    );
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'stepSeconds',
    });
    expect(tooMany.errors?.[0]?.message).toMatch(/11000/);
  });

  it('reports energy over a window in joules and kWh from Kepler’s counters', async () => {
    type EnergyResult = {
      totalEnergyJoules: number;
      totalEnergyKilowattHours: number;
      groups: { key: string; energyJoules: number; energyKilowattHours: number }[];
    };
    const joulesOf = (cluster: string, fromMs: number, toMs: number): number => {
      const before = new Map(
        power()
          .nodeEnergiesAt(cluster, fromMs)
          .map((e) => [e.node, e.cpuPackageJoules]),
      );
      return power()
        .nodeEnergiesAt(cluster, toMs)
        .reduce((s, e) => s + e.cpuPackageJoules - before.get(e.node)!, 0);
    };
    // increase() under-reads until Prometheus holds the whole window: poll, as for rates.
    const { energy, seconds } = await pollUntil('CPU energy to match the model', async () => {
      const to = new Date(Date.now() - 1000);
      const from = new Date(to.getTime() - 5000);
      const res = await gql<{ energy: EnergyResult }>(
        stack.url,
        `query($r: TimeRangeInput!) { energy(groupBy: RESOURCE_TYPE, range: $r) { totalEnergyJoules totalEnergyKilowattHours groups { key energyJoules energyKilowattHours } } }`,
        { r: { from: from.toISOString(), to: to.toISOString() } },
      );
      expect(res.errors).toBeUndefined();
      const cpu = res.data!.energy.groups.find((g) => g.key === 'CPU');
      const truth =
        joulesOf(east, from.getTime(), to.getTime()) + joulesOf(west, from.getTime(), to.getTime());
      return cpu && within(cpu.energyJoules, truth) ? { energy: res.data!.energy, seconds: 5 } : undefined;
    });
    for (const g of energy.groups) expect(g.energyKilowattHours).toBeCloseTo(g.energyJoules / 3.6e6, 12);
    expect(energy.totalEnergyKilowattHours).toBeCloseTo(energy.totalEnergyJoules / 3.6e6, 12);
    // DCMI is a gauge: its energy is the window average × the window.
    expect(
      within(
        energy.totalEnergyJoules,
        (power().itPowerWattsAt(east) + power().itPowerWattsAt(west)) * seconds,
      ),
    ).toBe(true);
  });

  it('pushes powerUpdated to 200 subscribers from one shared timer, and stops it when they leave', async () => {
    const hub = stack.app.get(PowerStreamHub);
    const before = hub.computations;
    const ws = connectWs(stack.url);
    await ws.connected;
    const subs = Array.from({ length: 200 }, () =>
      ws.subscribe(
        `subscription($c: String) { powerUpdated(cluster: $c, groupBy: NODE, intervalSeconds: 1) { sequence totalWatts groups { key watts } } }`,
        { c: east },
      ),
    );
    const seqs = (s: (typeof subs)[number]): number[] =>
      s.events.map((e) => (e.data as { powerUpdated: { sequence: number } }).powerUpdated.sequence);
    await pollUntil(
      'every subscriber to get two snapshots',
      async () => (subs.every((s) => s.events.length >= 2) ? true : undefined),
      { timeoutMs: 30000 },
    );
    expect(hub.activeStreams).toBe(1);
    // One computation per snapshot sequence number, whatever the subscriber count: all 200 share each snapshot.
    const newest = Math.max(...subs.flatMap(seqs));
    expect(hub.computations - before).toBeGreaterThanOrEqual(newest);
    expect(hub.computations - before).toBeLessThanOrEqual(newest + 1);
    for (const s of subs) expect(seqs(s)).toEqual([...seqs(s)].sort((a, b) => a - b));
    const first = at(at(subs, 0, 'subscription').events, 0, 'event').data as {
      powerUpdated: { totalWatts: number };
    };
    expect(first.powerUpdated.totalWatts).toBe(power().itPowerWattsAt(east));
    await ws.dispose();
    await pollUntil('the shared timer to stop', async () => (hub.activeStreams === 0 ? true : undefined));
  });

  it('rejects an interval outside 1–300 s', async () => {
    const ws = connectWs(stack.url);
    const sub = ws.subscribe(`subscription { powerUpdated(intervalSeconds: 301) { sequence } }`);
    // graphql-ws answers a subscription that fails before it starts with one result carrying the errors.
    await Promise.race([sub.done, sub.failure]);
    expect(sub.events[0]?.errors?.[0]?.extensions?.code ?? JSON.stringify(await sub.failure)).toMatch(
      /BAD_USER_INPUT/,
    );
    await ws.dispose();
  });

  it('streams the same snapshots as Server-Sent Events at the seed’s path', async () => {
    const hub = stack.app.get(PowerStreamHub);
    const bad = await fetch(`${stack.url}/api/v1/monitoring/stream/power?intervalSeconds=0`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/intervalSeconds/);
    const abort = new AbortController();
    const res = await fetch(
      `${stack.url}/api/v1/monitoring/stream/power?cluster=${west}&groupBy=resource_type&intervalSeconds=1`,
      { signal: abort.signal },
    );
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    while (!/data: .*\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    const snapshot = JSON.parse(/data: (.*)\n/.exec(text)![1]!) as {
      totalWatts: number;
      groupBy: string;
      groups: Group[];
    };
    expect(snapshot.groupBy).toBe('RESOURCE_TYPE');
    expect(snapshot.totalWatts).toBe(power().itPowerWattsAt(west));
    expect(hub.activeStreams).toBe(1);
    abort.abort();
    await reader.cancel().catch(() => undefined);
    await pollUntil('the SSE stream’s timer to stop', async () =>
      hub.activeStreams === 0 ? true : undefined,
    );
  });
});
