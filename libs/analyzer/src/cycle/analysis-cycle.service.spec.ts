import { Logger } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { loadConfig, type PartialResult } from '@kcloud/common';
import type { GpuWindowAggregate, GpuWindowSource } from '@kcloud/metrics-source';
import { ActivityTracker } from '../activity/activity-tracker.service';
import { AnalyzerConfigService } from '../analyzer-config.service';
import { ScoreMetricsExporter } from '../export/score-metrics.exporter';
import type { ScoreChange } from '../scoring/changes';
import type { ScoreRecord } from '../scoring/records';
import type { WebhookNotifier } from '../webhooks/webhook-notifier';
import { SharedState } from '@kcloud/realtime';
import { AnalysisCycle } from './analysis-cycle.service';
import type { AnalyzerEvents, AnalysisRunInfo } from './analyzer-events';
import { AnalyzerStateStore } from './analyzer-state.store';
import { ScoreStore } from './score-store';

const NOW = Date.UTC(2026, 0, 1, 12);

function gpu(uuid: string, cluster: string, util: number): GpuWindowAggregate {
  return {
    cluster,
    node: 'n',
    uuid,
    index: 0,
    model: 'NVIDIA H100 80GB HBM3',
    tenants: [{ namespace: 'ns', pod: `pod-${uuid}` }],
    utilizationPercent: util,
    memoryCopyUtilizationPercent: util,
    memoryUsedMiB: util,
    memoryFreeMiB: 100 - util,
    powerWatts: util * 7,
    grEngineActiveRatio: util / 100,
    observedAt: new Date(NOW),
  };
}

/** One replica's cycle; replicas (or a restart) that pass the same `shared` see the same persisted state. */
function setup(
  shared = new SharedState(loadConfig({})),
  clock = { ms: NOW },
  env: Record<string, string> = {},
) {
  const registry = new Registry();
  let answer: () => Promise<PartialResult<GpuWindowAggregate>> = async () => ({ items: [], failures: [] });
  const source = { gpuWindowAggregates: jest.fn(() => answer()) } as unknown as GpuWindowSource;
  const published: {
    changes: readonly ScoreChange[];
    run: AnalysisRunInfo;
    records: readonly ScoreRecord[];
  }[] = [];
  const events = {
    publish: async (changes, run, records) => void published.push({ changes, run, records }),
  } as AnalyzerEvents;
  const notified: ScoreChange[][] = [];
  const webhooks = {
    enabled: true,
    cooldownMs: 3_600_000,
    deliver: (due: readonly ScoreChange[]) => void notified.push([...due]),
  } as unknown as WebhookNotifier;
  const gauge = (name: string, labelNames: string[] = []) =>
    new Gauge({ name, help: name, labelNames, registers: [registry] });
  const exporter = new ScoreMetricsExporter(
    gauge('total'),
    gauge('low'),
    gauge('idle'),
    gauge('avg'),
    gauge('by_status', ['status']),
    gauge('ns_count', ['namespace']),
    gauge('ns_avg', ['namespace']),
    registry,
  );
  const counter = (name: string) => new Counter({ name, help: name, registers: [registry] });
  const store = new ScoreStore();
  const now = { now: () => new Date(clock.ms), nowMs: () => clock.ms };
  const cycle = new AnalysisCycle(
    source,
    store,
    new AnalyzerConfigService(loadConfig(env)),
    now as never,
    events,
    exporter,
    webhooks,
    new AnalyzerStateStore(shared),
    counter('total_runs'),
    counter('errors'),
    new Histogram({ name: 'duration', help: 'd', registers: [registry] }),
    counter('skipped'),
    new ActivityTracker(loadConfig({})),
    { afterCycle: () => Promise.resolve() } as never,
  );
  const value = async (name: string) => (await registry.getSingleMetric(name)!.get()).values;
  return {
    cycle,
    store,
    source,
    published,
    notified,
    registry,
    value,
    setAnswer: (f: typeof answer) => (answer = f),
  };
}

describe('AnalysisCycle', () => {
  it('carries activity evidence across a restart: quiet time before it counts toward entering idle', async () => {
    const shared = new SharedState(loadConfig({}));
    const clock = { ms: NOW };
    const quiet = () => ({ ...gpu('GPU-q', 'c1', 0), observedAt: new Date(clock.ms) });
    const first = setup(shared, clock);
    first.setAnswer(async () => ({ items: [quiet()], failures: [] }));
    await first.cycle.run('manual');
    expect(first.store.all()[0]!.activity).toMatchObject({ state: 'ACTIVE', quietSinceMs: NOW - 600_000 });
    // 1800 s of quiet are reached 1200 s later (the first 600 s window counts); a new process picks up the evidence.
    clock.ms = NOW + 1_200_000;
    const restarted = setup(shared, clock);
    restarted.setAnswer(async () => ({ items: [quiet()], failures: [] }));
    await restarted.cycle.run('manual');
    expect(restarted.store.all()[0]!.activity).toMatchObject({
      state: 'IDLE_ALLOCATED',
      sinceMs: NOW + 1_200_000,
    });
    // Without the shared state the same cycle starts from scratch.
    const amnesic = setup(new SharedState(loadConfig({})), clock);
    amnesic.setAnswer(async () => ({ items: [quiet()], failures: [] }));
    await amnesic.cycle.run('manual');
    expect(amnesic.store.all()[0]!.activity?.state).toBe('ACTIVE');
  });

  it('scores, stores, publishes changes and exports gauges in one cycle', async () => {
    const t = setup();
    t.setAnswer(async () => ({ items: [gpu('GPU-a', 'c1', 90), gpu('GPU-b', 'c1', 2)], failures: [] }));
    const outcome = await t.cycle.run('manual');
    expect(outcome!.run).toMatchObject({
      gpuCount: 2,
      changedCount: 2,
      failedClusters: [],
      trigger: 'manual',
    });
    expect(t.store.all().map((r) => [r.key, r.status])).toEqual([
      ['GPU-a', 'high'],
      ['GPU-b', 'idle'],
    ]);
    expect(t.published[0]!.changes.map((c) => c.kind)).toEqual(['APPEARED', 'APPEARED']);
    // First sight is not "became idle": no webhook for GPU-b.
    expect(t.notified[0]).toEqual([]);
    expect((await t.value('by_status')).find((v) => v.labels.status === 'idle')!.value).toBe(1);
    expect((await t.value('total_runs'))[0]!.value).toBe(1);
  });

  it('logs one summary line per cycle: run id, duration, GPUs scored, counts by status, failed clusters', async () => {
    const t = setup();
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      t.setAnswer(async () => ({
        items: [gpu('GPU-a', 'c1', 90), gpu('GPU-b', 'c1', 2)],
        failures: [{ cluster: 'c2', code: 'CLUSTER_UNAVAILABLE' as never, message: 'down' }],
      }));
      const { run } = (await t.cycle.run('manual'))!;
      const lines = log.mock.calls.map((c) => String(c[0])).filter((m) => m.startsWith('analysis run'));
      expect(lines).toEqual([
        `analysis run ${run.id}: ${run.durationSeconds.toFixed(3)} s, 2 GPU(s) scored ` +
          '(idle=1 low=0 normal=0 high=1 unknown=0), failed clusters: c2, unallocated (listed, not scored): 0',
      ]);
    } finally {
      log.mockRestore();
    }
  });

  it('lists an unheld GPU as unallocated with ANALYZER_ALLOCATED_ONLY: no score, out of totals, counted in the log', async () => {
    const t = setup(undefined, undefined, { ANALYZER_ALLOCATED_ONLY: 'true' });
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      t.setAnswer(async () => ({
        items: [gpu('GPU-a', 'c1', 90), { ...gpu('GPU-free', 'c1', 50), tenants: [] }],
        failures: [],
      }));
      const { run } = (await t.cycle.run('manual'))!;
      const free = t.store.all().find((r) => r.key === 'GPU-free')!;
      expect(free.status).toBe('unallocated');
      expect(free.score).toBeUndefined();
      expect(free.reason).toContain('no pod holds this GPU');
      expect(free.activity?.state).toBe('UNALLOCATED');
      expect(run.gpuCount).toBe(1);
      expect((await t.value('total'))[0]!.value).toBe(1);
      const held = t.store.all().find((r) => r.key === 'GPU-a')!;
      expect((await t.value('avg'))[0]!.value).toBe(held.score);
      const byStatus = await t.value('by_status');
      expect(byStatus.find((v) => v.labels.status === 'unallocated')!.value).toBe(1);
      const line = log.mock.calls.map((c) => String(c[0])).find((m) => m.startsWith('analysis run'));
      expect(line).toContain('1 GPU(s) scored');
      expect(line).toContain('unallocated (listed, not scored): 1');
    } finally {
      log.mockRestore();
    }
  });

  it('warns once per cycle about the GPUs under the low-utilisation threshold, naming a bounded few', async () => {
    const t = setup();
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const quiet = Array.from({ length: 12 }, (_, i) => gpu(`GPU-q${String(i).padStart(2, '0')}`, 'c1', 2));
      t.setAnswer(async () => ({ items: [gpu('GPU-a', 'c1', 90), ...quiet], failures: [] }));
      const { run } = (await t.cycle.run('manual'))!;
      const lines = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('low-utilisation'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(`^analysis run ${run.id}: 12 GPU\\(s\\) under the low-utilisation`),
      );
      expect(lines[0]).toContain('c1/GPU-q00 (ns/pod-GPU-q00, score');
      expect(lines[0]).not.toContain('GPU-a');
      expect(lines[0]).toMatch(/, and 2 more$/);
    } finally {
      warn.mockRestore();
    }
  });

  it('marks every MIG instance of a board UNKNOWN when one of its rows carries a critical XID', async () => {
    const t = setup();
    const mig = (id: string, lastXid: number): GpuWindowAggregate => ({
      ...gpu('GPU-m', 'c1', 60),
      migInstanceId: id,
      migProfile: '1g.10gb',
      dramActiveRatio: 0.6,
      lastXid,
    });
    t.setAnswer(async () => ({ items: [mig('1', 79), mig('2', 0), gpu('GPU-ok', 'c1', 60)], failures: [] }));
    await t.cycle.run('manual');
    const byKey = new Map(t.store.all().map((r) => [r.key, r]));
    expect(byKey.size).toBe(3);
    for (const key of ['GPU-m/1', 'GPU-m/2']) {
      expect(byKey.get(key)!.status).toBe('unknown');
      expect(byKey.get(key)!.score).toBeUndefined();
      expect(byKey.get(key)!.reason).toContain('failing board (every MIG instance on it): critical XID 79');
    }
    expect(byKey.get('GPU-ok')!.status).not.toBe('unknown');
  });

  it('keeps a failed cluster’s last results, marked stale, and counts the error', async () => {
    const t = setup();
    t.setAnswer(async () => ({ items: [gpu('GPU-a', 'c1', 90), gpu('GPU-b', 'c2', 90)], failures: [] }));
    await t.cycle.run('manual');
    t.setAnswer(async () => ({
      items: [gpu('GPU-a', 'c1', 5)],
      failures: [{ cluster: 'c2', code: 'CLUSTER_UNAVAILABLE' as never, message: 'down' }],
    }));
    const { run } = (await t.cycle.run('manual'))!;
    expect(run.failedClusters).toEqual(['c2']);
    expect(t.store.all().map((r) => [r.key, r.status, r.stale])).toEqual([
      ['GPU-b', 'high', true],
      ['GPU-a', 'idle', false],
    ]);
    expect((await t.value('errors'))[0]!.value).toBe(1);
  });

  it('drops the series of a GPU that disappeared or changed status', async () => {
    const t = setup();
    t.setAnswer(async () => ({ items: [gpu('GPU-a', 'c1', 90), gpu('GPU-b', 'c1', 90)], failures: [] }));
    await t.cycle.run('manual');
    t.setAnswer(async () => ({ items: [gpu('GPU-a', 'c1', 2)], failures: [] }));
    await t.cycle.run('manual');
    expect((await t.value('gpu_utilization_score')).map((v) => [v.labels.gpu_id, v.labels.status])).toEqual([
      ['GPU-a', 'idle'],
    ]);
  });

  it('never overlaps: a scheduled tick during a run is skipped, a manual trigger joins it', async () => {
    const t = setup();
    let release!: () => void;
    t.setAnswer(
      () =>
        new Promise(
          (resolve) => (release = () => resolve({ items: [gpu('GPU-a', 'c1', 50)], failures: [] })),
        ),
    );
    const first = t.cycle.run('schedule');
    while (!release) await new Promise((r) => setImmediate(r));
    expect(await t.cycle.run('schedule')).toBeUndefined();
    const joined = t.cycle.run('manual');
    release();
    const [a, b] = await Promise.all([first, joined]);
    expect(b!.joined).toBe(true);
    expect(b!.run).toBe(a!.run);
    expect(t.source.gpuWindowAggregates).toHaveBeenCalledTimes(1);
    expect((await t.value('skipped'))[0]!.value).toBe(1);
  });

  it('survives a source that throws: results kept as stale, the run carries the error', async () => {
    const t = setup();
    t.setAnswer(async () => ({ items: [gpu('GPU-a', 'c1', 90)], failures: [] }));
    await t.cycle.run('manual');
    t.setAnswer(async () => {
      throw new Error('boom');
    });
    const { run } = (await t.cycle.run('manual'))!;
    expect(run.error).toBe('boom');
    expect(t.store.all().map((r) => r.stale)).toEqual([true]);
  });

  it('keeps statusSince and the webhook cooldown across a restart (same persisted state, fresh replica)', async () => {
    const shared = new SharedState(loadConfig({}));
    const clock = { ms: NOW };
    const before = setup(shared, clock);
    before.setAnswer(async () => ({ items: [gpu('GPU-a', 'c1', 90)], failures: [] }));
    await before.cycle.run('schedule');
    clock.ms += 60_000;
    before.setAnswer(async () => ({ items: [gpu('GPU-a', 'c1', 2)], failures: [] }));
    await before.cycle.run('schedule');
    expect(before.notified.flat().map((c) => c.record.key)).toEqual(['GPU-a']);
    const idleSince = before.store.get('GPU-a')!.statusSince;
    expect(idleSince.getTime()).toBe(NOW + 60_000);

    clock.ms += 60_000;
    const after = setup(shared, clock);
    await after.cycle.onModuleInit();
    expect(after.store.get('GPU-a')!.statusSince).toEqual(idleSince);
    after.setAnswer(async () => ({ items: [gpu('GPU-a', 'c1', 2)], failures: [] }));
    const { run } = (await after.cycle.run('schedule'))!;
    expect(run.id).toBe(3);
    expect(after.published[0]!.changes).toEqual([]);
    expect(after.notified.flat()).toEqual([]);
    expect(after.store.get('GPU-a')!.statusSince).toEqual(idleSince);
  });

  it('numbers runs on from the newest id seen in events when the stored state was lost (Redis restarted empty)', async () => {
    const t = setup(new SharedState(loadConfig({})), { ms: NOW });
    t.store.noteRun(41); // another replica's last completed run, before Redis lost the state and that replica died
    t.setAnswer(async () => ({ items: [gpu('GPU-a', 'c1', 90)], failures: [] }));
    expect((await t.cycle.run('manual'))!.run.id).toBe(42);
    expect((await t.cycle.run('manual'))!.run.id).toBe(43);
  });

  it('drops a cycle whose commit lost to another replica: nothing installed, published or posted', async () => {
    const shared = new SharedState(loadConfig({}));
    const clock = { ms: NOW };
    const a = setup(shared, clock);
    const b = setup(shared, clock);
    b.setAnswer(async () => ({ items: [gpu('GPU-a', 'c1', 90)], failures: [] }));
    a.setAnswer(async () => {
      // B commits while A is measuring: A's commit is made on a stale version.
      await b.cycle.run('manual');
      return { items: [gpu('GPU-a', 'c1', 2)], failures: [] };
    });
    expect(await a.cycle.run('manual')).toBeUndefined();
    expect(a.published).toEqual([]);
    expect(a.store.all()).toEqual([]);
    expect(b.published.map((p) => p.run.id)).toEqual([1]);
  });

  it('skips a scheduled cycle when another replica committed one less than half an interval ago', async () => {
    const shared = new SharedState(loadConfig({}));
    const clock = { ms: NOW };
    const a = setup(shared, clock);
    const b = setup(shared, clock);
    for (const t of [a, b]) t.setAnswer(async () => ({ items: [gpu('GPU-a', 'c1', 90)], failures: [] }));
    await a.cycle.run('schedule');
    clock.ms += 5_000;
    expect(await b.cycle.run('schedule')).toBeUndefined();
    expect(b.store.all().map((r) => r.key)).toEqual(['GPU-a']);
    clock.ms += 55_000;
    expect((await b.cycle.run('schedule'))!.run.id).toBe(2);
  });
});
