import { DomainError } from '@kcloud/common';
import type { NodePowerSeries } from '@kcloud/metrics-source';
import { groupNodeEnergy, groupNodeSeries, validateRange } from './history';
import { PowerGroupBy } from './models/power-group-by.enum';

const t0 = Date.UTC(2026, 0, 1);
const range = (seconds: number, stepSeconds?: number) => ({
  from: new Date(t0),
  to: new Date(t0 + seconds * 1000),
  stepSeconds,
});

describe('validateRange', () => {
  it.each([
    ['an hour at 15 s', range(3600, 15), 15],
    ['a day with the default step', range(86_400), 360],
    ['exactly 11,000 points', range(10_999, 1), 1],
  ])('accepts %s', (_name, r, step) => {
    expect(validateRange(r, true).stepSeconds).toBe(step);
  });

  it.each([
    ['from after to', { from: new Date(t0 + 1000), to: new Date(t0) }, 'range'],
    ['more than 11,000 points', range(86_400, 1), 'stepSeconds'],
    ['a fractional step', range(60, 1.5), 'stepSeconds'],
    ['a zero step', range(60, 0), 'stepSeconds'],
    ['more than a year', range(400 * 86_400, 86_400), 'range'],
  ])('rejects %s with BAD_USER_INPUT naming the argument', (_name, r, argument) => {
    try {
      validateRange(r, true);
      fail('expected BAD_USER_INPUT');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).details).toEqual({ argument });
    }
  });
});

describe('groupNodeSeries', () => {
  // Readings and expected watts at t=1 and t=2.
  const samples = (...values: number[]) => values.map((value, i) => ({ timestampMs: i + 1, value }));
  const watts = (...values: number[]) => values.map((w, i) => ({ timestampMs: i + 1, watts: w }));
  const series: NodePowerSeries[] = [
    {
      cluster: 'east',
      node: 'a',
      components: { cpuPackageWatts: samples(100, 110), serverInputWatts: samples(400, 420) },
    },
    // No DCMI at t=2: the node falls back to its components there.
    {
      cluster: 'west',
      node: 'b',
      components: { cpuPackageWatts: samples(50, 60), serverInputWatts: samples(200) },
    },
  ];

  it('applies the snapshot rules at each timestamp', () => {
    expect(groupNodeSeries(series, PowerGroupBy.CLUSTER)).toEqual([
      { key: 'east', points: watts(400, 420) },
      { key: 'west', points: watts(200, 60) },
    ]);
    const types = groupNodeSeries(series, PowerGroupBy.RESOURCE_TYPE);
    expect(types.find((s) => s.key === 'CPU')!.points).toEqual(watts(150, 170));
    expect(types.find((s) => s.key === 'OTHER')!.points).toEqual(watts(450, 310));
  });

  it('groups energy (joules) by the same rules', () => {
    const groups = groupNodeEnergy(
      [{ cluster: 'east', node: 'a', joules: { cpuPackageWatts: 3600, serverInputWatts: 7200 } }],
      PowerGroupBy.RESOURCE_TYPE,
    );
    expect(Object.fromEntries(groups.map((g) => [g.key, g.watts]))).toEqual({ CPU: 3600, OTHER: 3600 });
  });
});
