import type { ClusterQualityEvidence, TargetState } from './device-quality.port';
import { DataQualityStatus, type JudgedSample, judgeDeviceQuality, qualifyDevices } from './device-quality';
import { InvalidReadingReason } from './reading-quality';
import { firstN } from '../testing/first-n';

const NOW = new Date('2026-12-06T12:00:00Z');
const ago = (s: number) => new Date(NOW.getTime() - s * 1000);
const T = { instance: '10.0.0.1:9400', job: 'dcgm' };
const target = (up: boolean, scrapeIntervalSeconds?: number): TargetState => ({
  target: T,
  up,
  scrapeIntervalSeconds,
});
const blank = [{ field: 'temperatureCelsius', reason: InvalidReadingReason.DCGM_BLANK }];

interface Case {
  readonly name: string;
  readonly up?: boolean;
  readonly interval?: number;
  readonly ageSeconds: number;
  readonly frozen?: boolean;
  readonly invalid?: typeof blank;
  readonly status: DataQualityStatus;
}

describe('judgeDeviceQuality', () => {
  const cases: Case[] = [
    {
      name: 'fresh, alive, all fields read',
      up: true,
      interval: 15,
      ageSeconds: 3,
      status: DataQualityStatus.OK,
    },
    {
      name: 'a missed scrape is still fresh',
      up: true,
      interval: 15,
      ageSeconds: 29,
      status: DataQualityStatus.OK,
    },
    {
      name: 'older than two intervals',
      up: true,
      interval: 15,
      ageSeconds: 31,
      status: DataQualityStatus.STALE,
    },
    { name: 'target down', up: false, interval: 15, ageSeconds: 3, status: DataQualityStatus.EXPORTER_DOWN },
    {
      name: 'down beats stale and frozen',
      up: false,
      interval: 15,
      ageSeconds: 300,
      frozen: true,
      invalid: blank,
      status: DataQualityStatus.EXPORTER_DOWN,
    },
    {
      name: 'stale beats frozen',
      up: true,
      interval: 15,
      ageSeconds: 300,
      frozen: true,
      status: DataQualityStatus.STALE,
    },
    {
      name: 'frozen beats partial',
      up: true,
      interval: 15,
      ageSeconds: 3,
      frozen: true,
      invalid: blank,
      status: DataQualityStatus.FROZEN,
    },
    {
      name: 'refused field',
      up: true,
      interval: 15,
      ageSeconds: 3,
      invalid: blank,
      status: DataQualityStatus.PARTIAL,
    },
    {
      name: 'interval not measured yet: never stale',
      up: true,
      ageSeconds: 300,
      status: DataQualityStatus.OK,
    },
    { name: 'no target known (simulated source)', ageSeconds: 0, status: DataQualityStatus.OK },
  ];

  it.each(cases)('$name → $status', (c) => {
    const q = judgeDeviceQuality({
      sample: { cluster: 'east', observedAt: ago(c.ageSeconds), invalidReadings: c.invalid, scrapeTarget: T },
      target: c.up === undefined ? undefined : target(c.up, c.interval),
      frozen: c.frozen ?? false,
      evaluatedAt: NOW,
      frozenSamples: 10,
    });
    expect(q.status).toBe(c.status);
    expect(q.sampleAgeSeconds).toBe(c.ageSeconds);
    expect(q.scrapeIntervalSeconds).toBe(c.interval);
    expect(q.nullFields).toEqual(c.invalid ?? []);
    expect(q.reason === undefined).toBe(c.status === DataQualityStatus.OK);
  });

  it('says in words which target is down and how old the last sample is', () => {
    const q = judgeDeviceQuality({
      sample: { cluster: 'east', observedAt: ago(42), scrapeTarget: T },
      target: target(false, 15),
      frozen: false,
      evaluatedAt: NOW,
      frozenSamples: 10,
    });
    expect(q.reason).toBe('exporter target (dcgm 10.0.0.1:9400) is down; last sample 42s ago');
  });
});

describe('qualifyDevices', () => {
  interface S extends JudgedSample {
    readonly uuid: string;
  }
  const sample = (uuid: string, over: Partial<S> = {}): S => ({
    cluster: 'east',
    uuid,
    observedAt: ago(2),
    scrapeTarget: T,
    ...over,
  });
  const evidence = (over: Partial<ClusterQualityEvidence<S>> = {}): ClusterQualityEvidence<S> => ({
    cluster: 'east',
    evaluatedAt: NOW,
    targets: [target(true, 15)],
    frozenKeys: [],
    unreachable: [],
    ...over,
  });

  it('judges each sample against its own cluster and target, and marks frozen keys', () => {
    const out = qualifyDevices(
      [sample('a'), sample('b')],
      [evidence({ frozenKeys: ['b'] })],
      (s) => s.uuid,
      10,
    );
    expect(out.map((o) => [o.sample.uuid, o.quality.status])).toEqual([
      ['a', DataQualityStatus.OK],
      ['b', DataQualityStatus.FROZEN],
    ]);
  });

  it('adds the devices of a down target that vanished from the samples, once', () => {
    const down = evidence({
      targets: [target(false, 15)],
      unreachable: [sample('a', { observedAt: ago(20) }), sample('gone', { observedAt: ago(20) })],
    });
    const out = qualifyDevices([sample('a')], [down], (s) => s.uuid, 10);
    expect(out.map((o) => [o.sample.uuid, o.quality.status, o.quality.sampleAgeSeconds])).toEqual([
      ['a', DataQualityStatus.EXPORTER_DOWN, 2],
      ['gone', DataQualityStatus.EXPORTER_DOWN, 20],
    ]);
  });

  it('keeps a sample of a cluster without evidence (a failed quality read) with its refused fields only', () => {
    const [kept] = firstN(
      qualifyDevices(
        [sample('a', { cluster: 'west', invalidReadings: blank })],
        [evidence()],
        (s) => s.uuid,
        10,
      ),
      1,
    );
    expect(kept.quality).toEqual({ status: DataQualityStatus.OK, nullFields: blank });
  });

  it('shares one frozen quality between devices judged alike, and never between different judgements', () => {
    const out = qualifyDevices(
      [
        sample('a'),
        sample('b'),
        sample('c', { observedAt: ago(3) }),
        sample('d', { invalidReadings: blank }),
      ],
      [evidence({ frozenKeys: ['e'] })],
      (s) => s.uuid,
      10,
    );
    const [a, b, c, d] = firstN(
      out.map((o) => o.quality),
      4,
    );
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(a).toEqual({
      sampleAgeSeconds: 2,
      scrapeIntervalSeconds: 15,
      nullFields: [],
      status: DataQualityStatus.OK,
    });
    expect(c).not.toBe(a);
    expect(c.sampleAgeSeconds).toBe(3);
    expect(d.nullFields).toEqual(blank);
    expect(d.status).toBe(DataQualityStatus.PARTIAL);
  });
});
