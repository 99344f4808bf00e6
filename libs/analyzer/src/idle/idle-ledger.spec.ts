import { GpuActivityState } from '../activity/activity-state';
import { gpuFractionOf } from './gpu-fraction';
import {
  boardKey,
  bucketParts,
  chargeCycle,
  EMPTY_LEDGER_HEAD,
  type IdleDevice,
  mergePart,
  newEpisodes,
} from './idle-ledger';
import { idleUsage } from './idle-usage';
import { UNRESTRICTED } from '@kcloud/common';

const T0 = Date.UTC(2026, 0, 1, 10);
const S = 1000;
const device = (over: Partial<IdleDevice> = {}): IdleDevice => ({
  key: 'GPU-a',
  cluster: 'east',
  node: 'n1',
  uuid: 'GPU-a',
  model: 'NVIDIA H100 80GB HBM3',
  namespace: 'research',
  pod: 'jupyter-0',
  state: GpuActivityState.IDLE_HELD,
  since: new Date(T0 - 3600 * S),
  gpuFraction: 1,
  ...over,
});
const energy = (atMs: number, entries: [string, number][]) =>
  new Map(entries.map(([uuid, joules]) => [boardKey('east', uuid), { joules, atMs }]));
const prices = { perGpuHourByModel: { default: 2 }, perKWh: 0.5, currency: 'EUR' };

describe('idle ledger', () => {
  it('charges nothing on the first cycle, then the interval since the previous one', () => {
    const first = chargeCycle(EMPTY_LEDGER_HEAD, T0, [device()], energy(T0, [['GPU-a', 1000]]), 180 * S);
    expect(first.fromMs).toBeUndefined();
    expect(first.charges).toEqual([]);
    const second = chargeCycle(
      first.head,
      T0 + 60 * S,
      [device()],
      energy(T0 + 60 * S, [['GPU-a', 7000]]),
      180 * S,
    );
    expect(second.fromMs).toBe(T0);
    expect(second.charges).toEqual([
      expect.objectContaining({ allocatedGpuSeconds: 60, idleGpuSeconds: 60, idleEnergyJoules: 6000 }),
    ]);
    expect(second.head.episodes['GPU-a#research/jupyter-0']).toMatchObject({
      idleGpuSeconds: 60,
      idleEnergyJoules: 6000,
    });
  });

  it('charges an active GPU as allocated only, and an unallocated one not at all', () => {
    const head = {
      ...EMPTY_LEDGER_HEAD,
      accountedUntilMs: T0,
      energy: { [boardKey('east', 'GPU-a')]: { joules: 0, atMs: T0, estimateJoules: 0 } },
    };
    const { charges } = chargeCycle(
      head,
      T0 + 10 * S,
      [
        device({ state: GpuActivityState.ACTIVE }),
        device({
          key: 'GPU-b',
          uuid: 'GPU-b',
          state: GpuActivityState.UNALLOCATED,
          namespace: undefined,
          pod: undefined,
        }),
      ],
      energy(T0 + 10 * S, [['GPU-a', 5000]]),
      180 * S,
    );
    expect(charges).toEqual([
      expect.objectContaining({ allocatedGpuSeconds: 10, idleGpuSeconds: 0, idleEnergyJoules: 0 }),
    ]);
  });

  it('splits a MIG board’s energy over its instances by slices, never counting it twice', () => {
    const mig = (id: string, profile: string, state: GpuActivityState) =>
      device({
        key: `GPU-m/${id}`,
        uuid: 'GPU-m',
        migInstanceId: id,
        pod: `p${id}`,
        state,
        gpuFraction: gpuFractionOf('NVIDIA A100-SXM4-80GB', profile),
      });
    const head = {
      ...EMPTY_LEDGER_HEAD,
      accountedUntilMs: T0,
      energy: { [boardKey('east', 'GPU-m')]: { joules: 0, atMs: T0, estimateJoules: 0 } },
    };
    const { charges } = chargeCycle(
      head,
      T0 + 70 * S,
      [
        mig('2', '3g.40gb', GpuActivityState.ACTIVE),
        mig('9', '1g.10gb', GpuActivityState.IDLE_HELD),
        mig('10', '1g.10gb', GpuActivityState.IDLE_ALLOCATED),
      ],
      energy(T0 + 70 * S, [['GPU-m', 5000]]),
      180 * S,
    );
    const byPod = Object.fromEntries(charges.map((c) => [c.device.pod, c]));
    expect(byPod.p9.idleEnergyJoules).toBeCloseTo(1000);
    expect(byPod.p10.idleEnergyJoules).toBeCloseTo(1000);
    expect(byPod.p2.idleEnergyJoules).toBe(0);
    expect(byPod.p9.idleGpuSeconds).toBeCloseTo(10);
    expect(byPod.p2.allocatedGpuSeconds).toBeCloseTo(30);
  });

  it('measures energy between sample times, so a late scrape does not shift energy between intervals', () => {
    const head = {
      ...EMPTY_LEDGER_HEAD,
      accountedUntilMs: T0,
      energy: {
        [boardKey('east', 'GPU-a')]: { joules: 0, atMs: T0 - 1 * S, watts: 100, estimateJoules: 100 },
      },
    };
    // 100 W: the counter read 1 s before the previous cycle and 0.5 s before this one.
    const late = chargeCycle(head, T0 + 10 * S, [device()], energy(T0 + 9.5 * S, [['GPU-a', 1050]]), 180 * S);
    expect(late.charges[0]!.idleEnergyJoules).toBeCloseTo(1000);
    // No newer sample by the next cycle: the last rate holds, rather than charging nothing.
    const stale = chargeCycle(
      late.head,
      T0 + 11 * S,
      [device()],
      energy(T0 + 9.5 * S, [['GPU-a', 1050]]),
      180 * S,
    );
    expect(stale.charges[0]!.idleEnergyJoules).toBeCloseTo(100);
    // Over several cycles the charges telescope: a sample stamped a little before the counter was read (a scrape's
    // start vs the exporter's reading) errs at the range's ends only, not once per cycle.
    let h = EMPTY_LEDGER_HEAD;
    let total = 0;
    const lags = [0, 300, 20, 600, 50, 0, 450, 10, 700, 5, 0, 300];
    const jitter = [0, 30, 0, 25, 5, 30, 0, 20, 30, 0, 10, 0];
    lags.forEach((lag, i) => {
      const t = T0 + i * 1000;
      const sampleMs = t - lag;
      const joules = (100 * (sampleMs + jitter[i]! - T0)) / 1000;
      const r = chargeCycle(h, t, [device()], energy(sampleMs, [['GPU-a', joules]]), 180 * S);
      total += r.charges[0]?.idleEnergyJoules ?? 0;
      h = r.head;
    });
    expect(Math.abs(total - 100 * (lags.length - 1))).toBeLessThan(100 * 0.03);
  });

  it('charges no energy across a counter reset and nothing across a gap longer than the limit', () => {
    const head = {
      ...EMPTY_LEDGER_HEAD,
      accountedUntilMs: T0,
      energy: { [boardKey('east', 'GPU-a')]: { joules: 9000, atMs: T0, estimateJoules: 9000 } },
    };
    const reset = chargeCycle(head, T0 + 60 * S, [device()], energy(T0 + 60 * S, [['GPU-a', 100]]), 180 * S);
    expect(reset.charges[0]).toMatchObject({ idleGpuSeconds: 60, idleEnergyJoules: 0 });
    const gap = chargeCycle(
      head,
      T0 + 600 * S,
      [device()],
      energy(T0 + 600 * S, [['GPU-a', 99_000]]),
      180 * S,
    );
    expect(gap.fromMs).toBeUndefined();
    expect(gap.charges).toEqual([]);
    expect(gap.head.accountedUntilMs).toBe(T0 + 600 * S);
  });

  it('starts a new idle stretch when the state is entered again', () => {
    const head = {
      accountedUntilMs: T0,
      energy: {},
      episodes: {
        'GPU-a#research/jupyter-0': {
          state: GpuActivityState.IDLE_HELD,
          sinceMs: T0 - 7200 * S,
          idleGpuSeconds: 500,
          idleEnergyJoules: 9,
        },
      },
    };
    const next = chargeCycle(head, T0 + 60 * S, [device({ since: new Date(T0) })], new Map(), 180 * S);
    expect(next.head.episodes['GPU-a#research/jupyter-0']).toMatchObject({ sinceMs: T0, idleGpuSeconds: 60 });
  });

  it('names the idle stretches that just began, not the ones that go on', () => {
    const ep = (sinceMs: number) => ({
      state: GpuActivityState.IDLE_HELD,
      sinceMs,
      idleGpuSeconds: 1,
      idleEnergyJoules: 1,
    });
    const before = { energy: {}, episodes: { a: ep(1), b: ep(1) } };
    const after = { energy: {}, episodes: { a: ep(1), b: ep(5), c: ep(5), old: ep(-500) } };
    expect([...newEpisodes(before, after, 10, 100)]).toEqual(['b', 'c']);
  });

  it('splits an interval over the buckets it crosses and adds a part to its bucket only once', () => {
    const { charges } = chargeCycle(
      { ...EMPTY_LEDGER_HEAD, accountedUntilMs: T0 + 50 * S },
      T0 + 70 * S,
      [device()],
      new Map(),
      180 * S,
    );
    const parts = bucketParts(charges, T0 + 50 * S, T0 + 70 * S, 60 * S);
    expect(parts.map((p) => [p.startMs - T0, p.rows[0]!.idleGpuSeconds])).toEqual([
      [0, 10],
      [60 * S, 10],
    ]);
    const second = parts[1]!;
    const once = mergePart(undefined, second);
    expect(mergePart(once, second)).toBe(once);
    // A part overlapping the watermark adds only its unaccounted tail.
    const overlap = {
      ...second,
      fromMs: T0 + 65 * S,
      untilMs: T0 + 75 * S,
      rows: [{ ...second.rows[0]!, idleGpuSeconds: 10 }],
    };
    expect(mergePart(once, overlap).rows[0]!.idleGpuSeconds).toBeCloseTo(15);
  });

  it('answers a range from buckets pro rata, grouped and priced, within the scope', () => {
    const row = (namespace: string, idleGpuSeconds: number, idleEnergyJoules: number) => ({
      cluster: 'east',
      namespace,
      pod: 'p',
      node: 'n1',
      model: 'NVIDIA H100 80GB HBM3',
      allocatedGpuSeconds: 3600,
      idleGpuSeconds,
      idleEnergyJoules,
    });
    const buckets = [
      {
        startMs: T0,
        fromMs: T0,
        untilMs: T0 + 3600 * S,
        rows: [row('a', 3600, 3_600_000), row('b', 1800, 0)],
      },
      { startMs: T0 + 3600 * S, fromMs: T0 + 3600 * S, untilMs: T0 + 5400 * S, rows: [row('a', 1800, 0)] },
    ];
    const all = idleUsage(buckets, T0 + 1800 * S, T0 + 7200 * S, 'NAMESPACE', {}, UNRESTRICTED, prices);
    expect(all.accountedSeconds).toBe(3600);
    expect(all.rows.map((r) => [r.key, r.idleGpuHours, r.idleEnergyKWh, r.idleCost, r.currency])).toEqual([
      ['a', 1, 0.5, 2.25, 'EUR'],
      ['b', 0.25, 0, 0.5, 'EUR'],
    ]);
    const scoped = idleUsage(buckets, T0, T0 + 7200 * S, 'CLUSTER', {}, { namespaces: ['b'] }, prices);
    expect(scoped.rows.map((r) => [r.key, r.idleGpuHours])).toEqual([['east', 0.5]]);
    // Cluster labels resolved to names: the labels selecting east keep its rows, selecting none keeps none.
    const labelled = (labelledClusters: readonly string[]) =>
      idleUsage(buckets, T0, T0 + 7200 * S, 'CLUSTER', { labelledClusters }, UNRESTRICTED, prices).rows;
    expect(labelled(['east', 'west']).map((r) => r.key)).toEqual(['east']);
    expect(labelled(['west'])).toEqual([]);
    expect(labelled([])).toEqual([]);
  });
});

describe('gpuFractionOf', () => {
  it.each([
    ['NVIDIA H100 80GB HBM3', undefined, 1],
    ['NVIDIA A100-SXM4-80GB', '3g.40gb', 3 / 7],
    ['NVIDIA A100-SXM4-80GB', '1g.10gb+me', 1 / 7],
    ['NVIDIA A30', '2g.12gb', 0.5],
  ])('%s %s → %d', (model, profile, fraction) => expect(gpuFractionOf(model, profile)).toBeCloseTo(fraction));
});
