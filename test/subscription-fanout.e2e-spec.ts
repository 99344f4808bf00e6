import { defaultScenario, FleetModel, type WorkloadPattern } from '@kcloud/fleet-model';
import { EventEmitter } from 'node:events';
import { register } from 'prom-client';
import { type RunningApp, startApp } from './harness/app';
import { HEADERS, SECRETS, scopesOf, type Scopes } from './harness/auth-fixture';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { SocketPool, type Subscription, type WsConnection } from './harness/ws-client';
import { atLeast } from './harness/indexed';
import { apiKeysEnv } from './harness/api-keys';

/** A partner key scoped to one cluster (the fixture's viewer secret, with a role that may subscribe). */
const CLUSTER_PARTNER = { authorization: `Bearer ${SECRETS.viewer}` };

const COMPLETED = `subscription { analysisCompleted { run { id } stats { total byNamespace { namespace count } } } }`;
const CHANGED = `subscription($filter: GpuScoreChangedFilterInput, $minDelta: Float) {
  gpuScoreChanged(filter: $filter, minDelta: $minDelta) { kind gpu { gpuId uuid cluster namespace status score } } }`;

interface Change {
  readonly kind: string;
  readonly gpu: { gpuId: string; uuid: string; cluster: string; namespace: string | null; status: string };
}
interface Completed {
  readonly run: { id: number };
  readonly stats: { total: number; byNamespace: { namespace: string }[] };
}

/** One kind of subscriber: who, what, and which of the reference stream's changes it must receive. */
interface Group {
  readonly name: string;
  readonly who: Record<string, string>;
  readonly field: 'analysisCompleted' | 'gpuScoreChanged';
  readonly variables?: Record<string, unknown>;
  readonly count: number;
  readonly matches?: (c: Change) => boolean;
  readonly subs: Subscription[];
}

/**
 * The real process object: Jest gives tests a copy of `process`, while Node emits MaxListenersExceededWarning on the
 * real one. A core module's functions belong to the outer realm, so its Function constructor reaches the real global.
 */
const realProcess = (EventEmitter.constructor as FunctionConstructor)('return process')() as NodeJS.Process;

const executions = async (field: string): Promise<number> => {
  const metric = register.getSingleMetric('kcloud_subscription_executions_total');
  if (!metric) throw new Error('kcloud_subscription_executions_total is not registered');
  const { values } = await metric.get();
  return values.filter((v) => v.labels.field === field).reduce((s, v) => s + v.value, 0);
};

const payloads = <T>(sub: Subscription, field: string): T[] =>
  sub.events.map((e) => {
    if (e.errors?.length) throw new Error(JSON.stringify(e.errors));
    return (e.data as Record<string, T>)[field]!;
  });

/**
 * Fan-out through real graphql-ws on the simulated fleet: many subscribers over a few distinct (document, variables,
 * scope) combinations — an unrestricted admin, a namespace-scoped and a cluster-scoped partner key — receive each
 * event exactly once, only what matches, and the server executes each distinct combination once per event.
 */
describe('subscription fan-out (real graphql-ws, simulated fleet)', () => {
  let api: RunningApp;
  let scopes: Scopes;
  let model: FleetModel;
  const sockets = new SocketPool();
  const warnings: Error[] = [];
  const onWarning = (w: Error): void => void warnings.push(w);

  const triggerCycle = async (): Promise<number> => {
    const res = await gql<{ triggerAnalysis: { id: number } }>(
      api.url,
      `mutation { triggerAnalysis { id } }`,
      {},
      HEADERS.admin,
    );
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    return res.data.triggerAnalysis.id;
  };

  const connect = async (who: Record<string, string>, n: number): Promise<WsConnection[]> => {
    const opened = Array.from({ length: n }, () => sockets.connect(api.url, who));
    await Promise.all(opened.map((s) => s.connected));
    return opened;
  };

  beforeAll(async () => {
    realProcess.on('warning', onWarning);
    scopes = scopesOf(new FleetModel(defaultScenario()));
    api = await startApp({
      LOG_LEVEL: 'warn',
      API_KEYS: apiKeysEnv([
        { name: 'ops-admin', secret: SECRETS.admin, role: 'admin' },
        {
          name: 'partner-a',
          secret: SECRETS.partner,
          role: 'partner',
          namespaces: [scopes.partnerNamespace],
        },
        { name: 'partner-west', secret: SECRETS.viewer, role: 'partner', clusters: [scopes.viewerCluster] },
      ]),
      RATE_LIMIT_PER_MINUTE: '100000',
      AUTH_FAILURES_PER_MINUTE: '100000',
      MAX_CONNECTIONS_PER_KEY: '1000',
      MAX_SUBSCRIPTIONS_PER_KEY: '10000',
      // Only the cycles the test triggers (after the startup one).
      ANALYZER_INTERVAL_SECONDS: '3600',
      ANALYZER_WINDOW_SECONDS: '5',
    });
    model = api.app.get(FleetModel, { strict: false });
    await pollUntil(
      'the startup analysis',
      async () =>
        (
          await gql<{ analyzerConfig: { lastRun: unknown } }>(
            api.url,
            `{ analyzerConfig { lastRun { id } } }`,
            {},
            HEADERS.admin,
          )
        ).data?.analyzerConfig.lastRun ?? undefined,
      { timeoutMs: 30_000 },
    );
  });
  afterAll(async () => {
    realProcess.off('warning', onWarning);
    await sockets.disposeAll();
    await api?.app.close();
  });

  it('delivers each event once to every matching subscriber, nothing to the others, one execution per distinct subscription', async () => {
    const gpus = model.gpus().filter((g) => g.namespace && !g.migInstanceId);
    const someUuids = gpus.filter((_, i) => i % 3 === 0).map((g) => g.uuid);
    const otherCluster = model.clusters().find((c) => c !== scopes.viewerCluster)!;
    const ns = scopes.partnerNamespace;
    const group = (g: Omit<Group, 'subs'>): Group => ({ ...g, subs: [] });
    const groups: Group[] = [
      group({ name: 'admin completed', who: HEADERS.admin, field: 'analysisCompleted', count: 40 }),
      group({ name: 'partner completed', who: HEADERS.partner, field: 'analysisCompleted', count: 30 }),
      group({ name: 'west completed', who: CLUSTER_PARTNER, field: 'analysisCompleted', count: 20 }),
      group({
        name: 'admin all',
        who: HEADERS.admin,
        field: 'gpuScoreChanged',
        variables: { minDelta: 1 },
        count: 25,
        matches: () => true,
      }),
      group({
        name: 'admin in ns',
        who: HEADERS.admin,
        field: 'gpuScoreChanged',
        variables: { minDelta: 1, filter: { namespace: ns } },
        count: 20,
        matches: (c) => c.gpu.namespace === ns,
      }),
      group({
        name: 'admin uuids',
        who: HEADERS.admin,
        field: 'gpuScoreChanged',
        variables: { minDelta: 1, filter: { uuids: someUuids } },
        count: 15,
        matches: (c) => someUuids.includes(c.gpu.uuid),
      }),
      group({
        name: 'admin other cluster',
        who: HEADERS.admin,
        field: 'gpuScoreChanged',
        variables: { minDelta: 1, filter: { cluster: otherCluster } },
        count: 10,
        matches: (c) => c.gpu.cluster === otherCluster,
      }),
      group({
        name: 'partner all',
        who: HEADERS.partner,
        field: 'gpuScoreChanged',
        variables: { minDelta: 1 },
        count: 20,
        matches: (c) => c.gpu.namespace === ns,
      }),
      // The partner asks for another cluster's namespace it may not see: its scope wins, nothing arrives.
      group({
        name: 'partner foreign ns',
        who: HEADERS.partner,
        field: 'gpuScoreChanged',
        variables: { minDelta: 1, filter: { namespace: scopes.foreignValue.partner.namespace } },
        count: 5,
        matches: () => false,
      }),
      group({
        name: 'west all',
        who: CLUSTER_PARTNER,
        field: 'gpuScoreChanged',
        variables: { minDelta: 1 },
        count: 15,
        matches: (c) => c.gpu.cluster === scopes.viewerCluster,
      }),
    ];
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(200);
    // A few sockets per key, several subscriptions on each, as partners' dashboards hold them.
    const perKey = new Map<Record<string, string>, WsConnection[]>();
    for (const who of [HEADERS.admin, HEADERS.partner, CLUSTER_PARTNER])
      perKey.set(who, await connect(who, 5));
    let round = 0;
    for (const g of groups)
      for (let i = 0; i < g.count; i++) {
        const socks = perKey.get(g.who)!;
        g.subs.push(
          socks[round++ % socks.length]!.subscribe(
            g.field === 'analysisCompleted' ? COMPLETED : CHANGED,
            g.variables,
          ),
        );
      }
    await pollUntil(
      'every subscription running',
      async () => ((await activeSubscriptions()) >= 200 ? true : undefined),
      { timeoutMs: 20_000 },
    );

    const before = {
      completed: await executions('analysisCompleted'),
      changed: await executions('gpuScoreChanged'),
    };
    // Switch workloads in and outside the partner's namespace so the cycles move scores for every group.
    for (const g of [
      ...gpus.filter((x) => x.namespace === ns).slice(0, 3),
      ...gpus.filter((x) => x.namespace !== ns).slice(0, 6),
    ])
      model.setPattern(
        g.uuid,
        undefined,
        (g.pattern === 'notebook' ? 'training' : 'notebook') as WorkloadPattern,
      );
    const completedGroups = groups.filter((g) => g.field === 'analysisCompleted');
    const runs: number[] = [];
    const all = groups.find((g) => g.name === 'admin all')!;
    // Cycles until the reference stream saw changes in and outside the namespace (the window needs a few seconds).
    await pollUntil(
      'score changes inside and outside the partner namespace',
      async () => {
        runs.push(await triggerCycle());
        await pollUntil(
          'every analysisCompleted subscriber got the run',
          async () =>
            completedGroups.every((g) => g.subs.every((s) => s.events.length >= runs.length))
              ? true
              : undefined,
          { timeoutMs: 20_000 },
        );
        const seen = payloads<Change>(all.subs[0]!, 'gpuScoreChanged');
        return seen.some((c) => c.gpu.namespace === ns) && seen.some((c) => c.gpu.namespace !== ns)
          ? true
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    // Changes travel on their own subscriptions: wait until no socket receives anything more, then compare.
    let last = -1;
    await pollUntil(
      'deliveries settle',
      async () => {
        const total = groups.reduce((n, g) => n + g.subs.reduce((m, s) => m + s.events.length, 0), 0);
        const settled = total === last;
        last = total;
        return settled ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    const reference = payloads<Change>(all.subs[0]!, 'gpuScoreChanged');
    const expected = new Map(groups.filter((g) => g.matches).map((g) => [g, reference.filter(g.matches!)]));
    const problems: string[] = [];
    for (const [g, want] of expected)
      g.subs.forEach((s, i) => {
        const got = JSON.stringify(payloads<Change>(s, 'gpuScoreChanged'));
        if (got !== JSON.stringify(want))
          problems.push(`${g.name}#${i}: ${got.slice(0, 160)} ≠ ${JSON.stringify(want).slice(0, 160)}`);
      });
    const completedOf = new Map(
      completedGroups.map((g) => [g, g.subs.map((s) => payloads<Completed>(s, 'analysisCompleted'))]),
    );
    for (const [g, lists] of completedOf)
      lists.forEach((list, i) => {
        if (JSON.stringify(list.map((c) => c.run.id)) !== JSON.stringify(runs))
          problems.push(`${g.name}#${i}: runs ${list.map((c) => c.run.id)} ≠ ${runs}`);
        if (JSON.stringify(list) !== JSON.stringify(lists[0]))
          problems.push(`${g.name}#${i} differs from #0`);
      });
    expect(problems).toEqual([]);
    expect(expected.get(groups.find((g) => g.name === 'partner all')!)!.length).toBeGreaterThan(0);
    expect(expected.get(groups.find((g) => g.name === 'west all')!)!.length).toBeGreaterThan(0);
    // Scopes never mix: the partner's stats cover its namespace only, the cluster key's fewer GPUs than the admin's.
    const [admin, partner, west] = atLeast(
      [...completedOf.values()].map((lists) => lists[0]!.at(-1)!),
      3,
      'subscription groups',
    );
    expect(partner.stats.byNamespace.map((b) => b.namespace)).toEqual([ns]);
    expect(west.stats.total).toBeLessThan(admin.stats.total);
    expect(partner.stats.total).toBeLessThan(admin.stats.total);

    // One execution per distinct (document, variables, scope) per event, however many sockets hold it.
    expect((await executions('analysisCompleted')) - before.completed).toBe(
      completedGroups.length * runs.length,
    );
    const distinctChangeExecutions = [...expected].reduce((n, [, want]) => n + want.length, 0);
    expect((await executions('gpuScoreChanged')) - before.changed).toBe(distinctChangeExecutions);
  });

  it('emits no MaxListenersExceededWarning with 500 subscribers on analysisCompleted', async () => {
    const running = await activeSubscriptions();
    const socks = await connect(HEADERS.admin, 10);
    const subs = Array.from({ length: 500 }, (_, i) => socks[i % socks.length]!.subscribe(COMPLETED));
    await pollUntil(
      '500 more subscriptions running',
      async () => ((await activeSubscriptions()) >= running + 500 ? true : undefined),
      { timeoutMs: 20_000 },
    );
    const id = await triggerCycle();
    await pollUntil(
      'all 500 got the run',
      async () => (subs.every((s) => s.events.length === 1) ? true : undefined),
      { timeoutMs: 20_000 },
    );
    expect(subs.every((s) => payloads<Completed>(s, 'analysisCompleted')[0]!.run.id === id)).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual(
      [],
    );
  });

  it('executes each powerUpdated snapshot once for all subscribers of the same arguments and scope', async () => {
    const before = await executions('powerUpdated');
    const socks = await connect(HEADERS.admin, 4);
    const query = `subscription { powerUpdated(intervalSeconds: 1) { sequence totalWatts } }`;
    const subs = Array.from({ length: 40 }, (_, i) => socks[i % socks.length]!.subscribe(query));
    await pollUntil(
      'three snapshots on every subscriber',
      async () => (subs.every((s) => s.events.length >= 3) ? true : undefined),
      {
        timeoutMs: 20_000,
      },
    );
    for (const s of subs) s.stop();
    await new Promise((r) => setTimeout(r, 200));
    const sequences = new Set(
      subs.flatMap((s) => payloads<{ sequence: number }>(s, 'powerUpdated').map((p) => p.sequence)),
    );
    // A tick may land between the last receipt and the stop: at most one snapshot more than the ones received.
    const executed = (await executions('powerUpdated')) - before;
    expect(executed).toBeGreaterThanOrEqual(sequences.size);
    expect(executed).toBeLessThanOrEqual(sequences.size + 1);
  });
});

async function activeSubscriptions(): Promise<number> {
  const metric = register.getSingleMetric('graphql_subscriptions_active');
  return metric ? (await metric.get()).values.reduce((s, v) => s + v.value, 0) : 0;
}
