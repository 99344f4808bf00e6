import type { Scenario } from '@kcloud/fleet-model';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { startWebhookReceiver, type WebhookReceiver } from './harness/webhook-receiver';
import { reportSection } from './harness/export-readers';
import { at } from './harness/indexed';
import { useStack } from './harness/use-stack';
import { apiKeysEnv } from './harness/api-keys';

/**
 * Idle accounting and reclaim recommendations through the real path: fleet-sim → Prometheus → analyzer cycles
 * (activity states with hysteresis, compressed to seconds) → idle ledger in SharedState → GraphQL. The ground truth
 * is the simulator's: which devices hold a notebook or an empty allocation, and their boards' energy counters.
 */
const scenario: Scenario = {
  seed: 16,
  // Hour-long ticks: every value stays constant while the test runs.
  tickSeconds: 3600,
  clusters: [
    {
      name: 'east',
      nodes: [
        {
          name: 'east-h100',
          gpuModel: 'NVIDIA H100 80GB HBM3',
          gpus: [
            { pattern: 'notebook', namespace: 'research', pod: 'jupyter-alice-0', container: 'notebook' },
            { pattern: 'allocated-empty', namespace: 'ml', pod: 'resnet-train-h7x2c', container: 'trainer' },
            { pattern: 'training', namespace: 'ml', pod: 'llm-pretrain-0', container: 'trainer' },
            { pattern: 'unallocated' },
          ],
        },
        {
          name: 'east-a100',
          gpuModel: 'NVIDIA A100-SXM4-80GB',
          gpus: [
            {
              mig: [
                {
                  profile: '3g.40gb',
                  instanceId: 2,
                  pattern: 'training',
                  namespace: 'ml',
                  pod: 'bert-0',
                  container: 'trainer',
                },
                {
                  profile: '1g.10gb',
                  instanceId: 9,
                  pattern: 'notebook',
                  namespace: 'research',
                  pod: 'jupyter-bob-0',
                  container: 'notebook',
                },
                { profile: '1g.10gb', instanceId: 10, pattern: 'unallocated' },
              ],
            },
          ],
        },
      ],
    },
  ],
};

const KEYS = {
  admin: 'kc_idle_admin_1',
  research: 'kc_idle_research_2',
  ml: 'kc_idle_ml_3',
  viewer: 'kc_idle_viewer_4',
};
const as = (k: keyof typeof KEYS) => ({ authorization: `Bearer ${KEYS[k]}` });
const PRICE_H100 = 4;
const PRICE_DEFAULT = 2;
const PRICE_KWH = 0.3;

interface UsageRow {
  key: string;
  allocatedGpuHours: number;
  idleGpuHours: number;
  idleEnergyKWh: number;
  idleCost: number;
  currency: string;
}
interface Rec {
  gpuId: string;
  namespace: string;
  pod: string;
  owner: string | null;
  action: string;
  idleGpuHours: number;
  idleCost: number;
  acknowledgedUntil: string | null;
}

const USAGE = `query($from: DateTime!, $to: DateTime!) {
  idleUsage(range: { from: $from, to: $to }, groupBy: NAMESPACE) {
    key allocatedGpuHours idleGpuHours idleEnergyKWh idleCost currency } }`;
const RECS = `query($all: Boolean) { reclaimRecommendations(filter: { includeAcknowledged: $all }, first: 50) {
  gpuId namespace pod owner action idleGpuHours idleCost acknowledgedUntil } }`;
const ACK = `mutation($gpuId: ID!, $hours: Float!) {
  acknowledgeRecommendation(gpuId: $gpuId, hours: $hours, note: "kept for a demo") { gpuId acknowledgedUntil } }`;

describe('idle accounting and reclaim recommendations (fleet-sim → Prometheus → analyzer)', () => {
  let alerts: WebhookReceiver;
  /**
   * Start of the accounted range, fixed once the wasted devices are idle: the 30 s range runs while the alert and
   * acknowledgement tests do (neither touches the ledger), and the accounting test waits only for what is left of it.
   */
  let t1 = 0;

  beforeAll(async () => {
    alerts = await startWebhookReceiver();
  });
  // Closed before the receiver: the afterAll below is declared after this one.
  const stack = useStack(scenario, [{ name: 'east', shape: 'plain' }], () => ({
    ANALYZER_INTERVAL_SECONDS: '1',
    ANALYZER_WINDOW_SECONDS: '5',
    IDLE_ENTER_SECONDS: '3',
    IDLE_EXIT_SECONDS: '3',
    IDLE_GRACE_SECONDS: '0',
    IDLE_LEDGER_BUCKET_SECONDS: '5',
    IDLE_PRICE_PER_GPU_HOUR: JSON.stringify({
      default: PRICE_DEFAULT,
      'NVIDIA H100 80GB HBM3': PRICE_H100,
    }),
    IDLE_PRICE_PER_KWH: String(PRICE_KWH),
    COST_CURRENCY: 'EUR',
    ANALYZER_ALERT_WEBHOOK_URL: `${alerts.url}/alert`,
    API_KEYS: apiKeysEnv([
      { name: 'admin', secret: KEYS.admin, role: 'admin' },
      { name: 'research', secret: KEYS.research, role: 'partner', namespaces: ['research'] },
      { name: 'ml', secret: KEYS.ml, role: 'partner', namespaces: ['ml'] },
      { name: 'viewer', secret: KEYS.viewer, role: 'viewer' },
    ]),
  }));

  beforeAll(async () => {
    // The three wasted devices have entered their idle states (hysteresis) and the ledger is being extended.
    await pollUntil(
      'notebooks IDLE_HELD and the empty allocation IDLE_ALLOCATED',
      async () => {
        const res = await gql<{
          gpuScores: { edges: { node: { pod: string | null; activityState: string } }[] };
        }>(stack.url, `{ gpuScores(first: 100) { edges { node { pod activityState } } } }`, {}, as('admin'));
        const state = new Map(res.data?.gpuScores.edges.map((e) => [e.node.pod, e.node.activityState]));
        return state.get('jupyter-alice-0') === 'IDLE_HELD' &&
          state.get('jupyter-bob-0') === 'IDLE_HELD' &&
          state.get('resnet-train-h7x2c') === 'IDLE_ALLOCATED'
          ? true
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    t1 = Date.now() + 2000;
  }, 120_000);

  afterAll(async () => alerts?.close());

  it('posts each GPU that became wasted once to the alert webhook, as a dry-run recommendation', async () => {
    const reclaim = () => alerts.posts.filter((p) => p.body.event === 'reclaim_recommended');
    await pollUntil('three reclaim alerts', async () => (reclaim().length >= 3 ? true : undefined), {
      timeoutMs: 30_000,
    });
    const byPod = new Map(reclaim().map((p) => [p.body.pod, p.body as Record<string, unknown>]));
    expect([...byPod.keys()].sort()).toEqual(['jupyter-alice-0', 'jupyter-bob-0', 'resnet-train-h7x2c']);
    expect(byPod.get('jupyter-alice-0')).toMatchObject({
      action: 'STOP_NOTEBOOK',
      dry_run: true,
      state: 'IDLE_HELD',
    });
    expect(byPod.get('resnet-train-h7x2c')).toMatchObject({ state: 'IDLE_ALLOCATED', dry_run: true });
    // Once per idle stretch, whatever the number of cycles since.
    expect(reclaim()).toHaveLength(3);
  });

  it('hides an acknowledged recommendation from its tenant until the time runs out; another tenant can neither see nor acknowledge it', async () => {
    const list = async (who: keyof typeof KEYS, all = false) => {
      const res = await gql<{ reclaimRecommendations: Rec[] }>(stack.url, RECS, { all }, as(who));
      expect(res.errors).toBeUndefined();
      return res.data!.reclaimRecommendations;
    };
    const research = await list('research');
    const alice = research.find((r) => r.pod === 'jupyter-alice-0')!;
    expect(alice).toMatchObject({
      namespace: 'research',
      owner: 'StatefulSet/jupyter-alice',
      action: 'STOP_NOTEBOOK',
    });
    expect(research.every((r) => r.namespace === 'research')).toBe(true);
    // Ranked by idle cost so far: the whole H100 notebook before the 1g MIG slice.
    expect(research.map((r) => r.pod)).toEqual(['jupyter-alice-0', 'jupyter-bob-0']);
    expect((await list('ml')).map((r) => r.pod)).toEqual(['resnet-train-h7x2c']);

    // Another tenant: not listed, and acknowledging answers as for a GPU without a recommendation.
    const foreign = await gql(stack.url, ACK, { gpuId: alice.gpuId, hours: 1 }, as('ml'));
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const nonexistent = await gql(stack.url, ACK, { gpuId: 'GPU-does-not-exist', hours: 1 }, as('ml'));
    expect(nonexistent.errors?.[0]?.message).toBe(
      foreign.errors?.[0]?.message.replace(alice.gpuId, 'GPU-does-not-exist'),
    );
    const viewer = await gql(stack.url, ACK, { gpuId: alice.gpuId, hours: 1 }, as('viewer'));
    expect(viewer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await gql(stack.url, ACK, { gpuId: alice.gpuId, hours: -1 }, as('research'));
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    // The tenant snoozes it for 6 seconds: gone from its list (and the admin's), listed as acknowledged on request.
    const snoozedAt = Date.now();
    const ack = await gql<{ acknowledgeRecommendation: { gpuId: string; acknowledgedUntil: string }[] }>(
      stack.url,
      ACK,
      { gpuId: alice.gpuId, hours: 6 / 3600 },
      as('research'),
    );
    expect(ack.errors).toBeUndefined();
    expect(ack.data!.acknowledgeRecommendation).toEqual([
      { gpuId: alice.gpuId, acknowledgedUntil: expect.any(String) },
    ]);
    const until = Date.parse(at(ack.data!.acknowledgeRecommendation, 0, 'acknowledgement').acknowledgedUntil);
    expect(until - snoozedAt).toBeGreaterThan(5000);
    expect((await list('research')).map((r) => r.pod)).toEqual(['jupyter-bob-0']);
    expect((await list('admin')).some((r) => r.gpuId === alice.gpuId)).toBe(false);
    expect(
      (await list('research', true)).find((r) => r.gpuId === alice.gpuId)?.acknowledgedUntil,
    ).toBeTruthy();
    expect((await list('ml', true)).some((r) => r.gpuId === alice.gpuId)).toBe(false);

    // It comes back once the acknowledgement runs out.
    await pollUntil(
      'the recommendation back after its acknowledgement',
      async () => ((await list('research')).some((r) => r.gpuId === alice.gpuId) ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(Date.now()).toBeGreaterThanOrEqual(until);
  }, 60_000);

  it('charges idle GPU-hours and kWh per namespace over a range within 2 % of the simulator’s ground truth', async () => {
    // The ledger is extended after a cycle's commit, before the next cycle starts: a cycle that started after `t`
    // followed by another one means the ledger covers `t`.
    const lastRun = async () =>
      (
        await gql<{ analyzerConfig: { lastRun: { id: number; startedAt: string } | null } }>(
          stack.url,
          `{ analyzerConfig { lastRun { id startedAt } } }`,
          {},
          as('admin'),
        )
      ).data?.analyzerConfig.lastRun ?? undefined;
    const accountedPast = async (t: number) => {
      const covering = await pollUntil('a cycle started after ' + new Date(t).toISOString(), async () => {
        const run = await lastRun();
        return run && Date.parse(run.startedAt) > t + 1000 ? run.id : undefined;
      });
      await pollUntil('the next cycle', async () =>
        ((await lastRun())?.id ?? 0) > covering ? true : undefined,
      );
    };
    await accountedPast(t1);
    const t2 = t1 + 30_000;
    await accountedPast(t2);

    // Ground truth from the model: the wasted devices, their GPU share, their board's energy split by slices.
    const at = (t: number) =>
      new Map(stack.model.gpus('east', t).map((g) => [`${g.uuid}/${g.migInstanceId ?? ''}`, g]));
    const [g1, g2] = [at(t1), at(t2)];
    const truth = new Map<string, { hours: number; kWh: number; cost: number }>();
    for (const [key, g] of g2) {
      if (g.pattern !== 'notebook' && g.pattern !== 'allocated-empty') continue;
      const slices = g.migProfile ? Number(g.migProfile[0]) : 7;
      const boardSlices = g.migProfile ? 3 + 1 + 1 : 7;
      const hours = ((t2 - t1) / 3_600_000) * (slices / 7);
      const joules = ((g.energyMillijoules - g1.get(key)!.energyMillijoules) / 1000) * (slices / boardSlices);
      const kWh = joules / 3_600_000;
      const price = g.model === 'NVIDIA H100 80GB HBM3' ? PRICE_H100 : PRICE_DEFAULT;
      const t = truth.get(g.namespace!) ?? { hours: 0, kWh: 0, cost: 0 };
      truth.set(g.namespace!, {
        hours: t.hours + hours,
        kWh: t.kWh + kWh,
        cost: t.cost + hours * price + kWh * PRICE_KWH,
      });
    }

    const res = await gql<{ idleUsage: UsageRow[] }>(
      stack.url,
      USAGE,
      { from: new Date(t1).toISOString(), to: new Date(t2).toISOString() },
      as('admin'),
    );
    expect(res.errors).toBeUndefined();
    const rows = new Map(res.data!.idleUsage.map((r) => [r.key, r]));
    const errors: Record<string, { hours: number; kWh: number }> = {};
    for (const [ns, t] of truth) {
      const r = rows.get(ns)!;
      errors[ns] = { hours: r.idleGpuHours / t.hours - 1, kWh: r.idleEnergyKWh / t.kWh - 1 };
      expect(Math.abs(errors[ns].hours)).toBeLessThan(0.02);
      expect(Math.abs(errors[ns].kWh)).toBeLessThan(0.02);
      expect(r.idleCost / t.cost).toBeCloseTo(1, 1);
      expect(r.currency).toBe('EUR');
    }
    // The report of the measured error (the note quotes it).
    process.stdout.write(`idle accounting error per namespace: ${JSON.stringify(errors)}\n`);
    // ml's training GPUs are allocated, not idle: allocated time exceeds idle time there.
    expect(rows.get('ml')!.allocatedGpuHours).toBeGreaterThan(rows.get('ml')!.idleGpuHours * 1.5);

    // A namespace-scoped partner sees only its own namespace.
    const scoped = await gql<{ idleUsage: UsageRow[] }>(
      stack.url,
      USAGE,
      { from: new Date(t1).toISOString(), to: new Date(t2).toISOString() },
      as('research'),
    );
    expect(scoped.data!.idleUsage.map((r) => r.key)).toEqual(['research']);

    // The report export carries the same figures (the analyzer's definition of idle, from its ledger).
    const range = `from=${new Date(t1).toISOString()}&to=${new Date(t2).toISOString()}&step=5`;
    const report = (await (
      await fetch(`${stack.url}/api/v1/export/report?format=json&${range}`, { headers: as('admin') })
    ).json()) as {
      sections: Record<
        string,
        { rows: { namespace: string; idle_gpu_hours: number; idle_energy_joules: number }[] }
      >;
    };
    const reported = new Map(reportSection(report, 'idle_accounting').rows.map((r) => [r.namespace, r]));
    for (const [ns, t] of truth) {
      expect(reported.get(ns)!.idle_gpu_hours).toBeCloseTo(rows.get(ns)!.idleGpuHours, 3);
      expect(Math.abs(reported.get(ns)!.idle_energy_joules / (t.kWh * 3_600_000) - 1)).toBeLessThan(0.02);
    }

    // The bounded counters on /metrics.
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(/gpu_idle_seconds_total\{cluster="east",namespace="research"\} [1-9]/);
    expect(metrics).toMatch(/gpu_idle_energy_joules_total\{cluster="east",namespace="ml"\} [1-9]/);
  }, 90_000);
});
