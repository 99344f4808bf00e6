import { groupByClusterLabel } from './cluster-label-groups';

const LABELS: Record<string, Record<string, string>> = {
  east: { datacenter: 'dc1', platform: 'dgx' },
  west: { datacenter: 'dc1' },
  north: { datacenter: 'dc2' },
};
const labelsOf = (c: string) => LABELS[c] ?? {};

describe('groupByClusterLabel', () => {
  const byCluster = [
    { key: 'east', watts: 1000 },
    { key: 'west', watts: 500 },
    { key: 'north', watts: 2000 },
    { key: 'lab', watts: 50 },
  ];

  it('adds up the clusters sharing a label value, largest first, the unlabelled under the empty key', () => {
    expect(groupByClusterLabel(byCluster, 'datacenter', labelsOf)).toEqual([
      { key: 'dc2', watts: 2000 },
      { key: 'dc1', watts: 1500 },
      { key: '', watts: 50 },
    ]);
  });

  it('keeps the total whatever the label', () => {
    const total = (gs: { watts: number }[]) => gs.reduce((s, g) => s + g.watts, 0);
    for (const label of ['datacenter', 'platform', 'absent'])
      expect(total(groupByClusterLabel(byCluster, label, labelsOf))).toBe(3550);
    expect(groupByClusterLabel(byCluster, 'absent', labelsOf)).toEqual([{ key: '', watts: 3550 }]);
  });

  it('puts every cluster under the empty key for a label name that is an Object.prototype member', () => {
    for (const label of ['constructor', '__proto__', 'toString', 'hasOwnProperty'])
      expect(groupByClusterLabel(byCluster, label, labelsOf)).toEqual([{ key: '', watts: 3550 }]);
  });
});
