import { Counter, Registry } from 'prom-client';
import { loadConfig } from '@kcloud/common';
import type { BoardEnergyReading, IdleEvidenceSource } from '@kcloud/metrics-source';
import { SharedState } from '@kcloud/realtime';
import { GpuActivityState } from '../activity/activity-state';
import type { ScoreRecord } from '../scoring/records';
import { IdleAccounting } from './idle-accounting.service';
import { IdleLedgerStore } from './idle-ledger.store';

const T0 = Date.UTC(2026, 0, 1, 10);
const record = (state: GpuActivityState): ScoreRecord =>
  ({
    key: 'GPU-a',
    cluster: 'east',
    node: 'n1',
    uuid: 'GPU-a',
    model: 'NVIDIA H100 80GB HBM3',
    tenants: [{ namespace: 'research', pod: 'jupyter-0' }],
    stale: false,
    computedAt: new Date(T0),
    activity: { state, sinceMs: T0 - 3_600_000 },
  }) as unknown as ScoreRecord;

function setup(energy: (at: Date) => Promise<readonly BoardEnergyReading[]>) {
  const registry = new Registry();
  const counter = (name: string) =>
    new Counter({ name, help: name, labelNames: ['cluster', 'namespace'], registers: [registry] });
  const seconds = counter('idle_seconds');
  const joules = counter('idle_joules');
  const store = new IdleLedgerStore(new SharedState(loadConfig({})));
  const evidence: IdleEvidenceSource = {
    boardEnergy: async (_c, at) => ({ items: await energy(at), failures: [] }),
    podOwners: () => Promise.resolve({ items: [], failures: [] }),
  };
  const notified: string[][] = [];
  const notifier = { notify: (keys: ReadonlySet<string>) => notified.push([...keys]) };
  const accounting = new IdleAccounting(loadConfig({}), store, evidence, seconds, joules, notifier as never);
  const value = async (c: Counter<string>) =>
    (await c.get()).values.map((v) => [v.labels.namespace, v.value]);
  return { accounting, store, seconds, joules, value, notified };
}

describe('IdleAccounting', () => {
  it('charges each cycle once, counts it on the bounded counters, and tells the notifier of a new idle stretch', async () => {
    const s = setup((at) =>
      Promise.resolve([
        { cluster: 'east', uuid: 'GPU-a', energyJoules: (at.getTime() - T0) / 10, observedAt: at },
      ]),
    );
    const idle = [record(GpuActivityState.IDLE_HELD)];
    for (const dt of [0, 60_000, 120_000]) await s.accounting.afterCycle(new Date(T0 + dt), idle);
    // The same cycle again (a retry, a second replica): nothing more.
    await s.accounting.afterCycle(new Date(T0 + 120_000), idle);
    expect(await s.value(s.seconds)).toEqual([['research', 120]]);
    // 100 W for the 120 s charged.
    expect(await s.value(s.joules)).toEqual([['research', 12000]]);
    const buckets = await s.store.buckets(T0, T0 + 120_000, 3_600_000);
    expect(buckets.flatMap((b) => b.rows).reduce((sum, r) => sum + r.idleGpuSeconds, 0)).toBeCloseTo(120);
    // The stretch began an hour before the ledger first saw it: not "just became idle".
    expect(s.notified.flat()).toEqual([]);
  });

  it('charges time without energy when the energy counters cannot be read, and never fails the cycle', async () => {
    const s = setup(() => Promise.reject(new Error('prometheus down')));
    const idle = [record(GpuActivityState.IDLE_ALLOCATED)];
    await s.accounting.afterCycle(new Date(T0), idle);
    await expect(s.accounting.afterCycle(new Date(T0 + 30_000), idle)).resolves.toBeUndefined();
    expect(await s.value(s.seconds)).toEqual([['research', 30]]);
    expect(await s.value(s.joules)).toEqual([]);
  });
});
