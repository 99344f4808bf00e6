import { unifiedClusterSteps } from '../datasets/unified-power';
import { mergeGroups } from './energy-sections';
import { pueByCluster } from './pue-section';
import { linesByName } from './time-lines';

const T0 = Date.UTC(2026, 0, 1);
const pts = (...values: number[]) => values.map((value, i) => ({ timestampMs: T0 + i * 60_000, value }));

describe('PUE in the report', () => {
  const steps = unifiedClusterSteps(
    [
      { cluster: 'east', node: 'a', components: { serverInputWatts: pts(1000, 1000, 1000) } },
      { cluster: 'west', node: 'b', components: { cpuPackageWatts: pts(100, 100) } },
    ],
    [{ cluster: 'east', points: pts(1200, 1500) }],
    { description: 'meter' },
  );

  it('averages each cluster’s PUE over the steps that have one, and says why a cluster has none', () => {
    const [east, west] = pueByCluster(steps);
    expect(east).toMatchObject({
      cluster: 'east',
      method: 'MEASURED',
      points: 2,
      minimumPue: 1.2,
      maximumPue: 1.5,
      averageFacilityPowerWatts: 1350,
      averageItPowerWatts: 1000,
      reason: "the facility source returned no data for cluster 'east'",
    });
    expect(east!.averagePue).toBeCloseTo(1.35, 12);
    expect(west).toMatchObject({ cluster: 'west', points: 0, method: 'NONE' });
    expect(west!.averagePue).toBeUndefined();
    expect(west!.reason).toMatch(/IT power is incomplete/);
  });

  it('draws one line per cluster with a value, points in time order', () => {
    const lines = linesByName([...steps].reverse(), (s) =>
      s.pue.value === null ? undefined : [s.cluster, s.at, s.pue.value],
    );
    expect(lines).toEqual([
      {
        name: 'east',
        points: [
          [T0, 1.2],
          [T0 + 60_000, 1.5],
        ],
      },
    ]);
  });
});

describe('energy of several reads', () => {
  it('sums a key read once per requested cluster, keeps clusters apart and orders by energy', () => {
    expect(
      mergeGroups([
        [
          { key: 'ml', watts: 10 },
          { key: 'east', cluster: 'east', watts: 5 },
        ],
        [
          { key: 'ml', watts: 2 },
          { key: 'ai', watts: 30 },
        ],
      ]),
    ).toEqual([
      { key: 'ai', watts: 30 },
      { key: 'ml', watts: 12 },
      { key: 'east', cluster: 'east', watts: 5 },
    ]);
  });
});
