import { carriesLabels, selectClusters } from './cluster-labels.port';
import { FakeClusterLabels } from './testing/fake-cluster-labels';

describe('selectClusters', () => {
  it.each([
    // [named cluster, label-selected, scope] → clusters to read
    [undefined, undefined, undefined, undefined],
    [undefined, undefined, ['east'], ['east']],
    ['east', undefined, undefined, ['east']],
    [undefined, ['east', 'west'], undefined, ['east', 'west']],
    ['east', ['east', 'west'], undefined, ['east']],
    ['north', ['east', 'west'], undefined, []],
    [undefined, ['east', 'west'], ['west'], ['west']],
    [undefined, [], undefined, []],
    [undefined, [], ['east'], []],
    ['east', undefined, ['west'], []],
  ] as const)('%s ∩ labels %j ∩ scope %j → %j', (cluster, labelled, allowed, expected) => {
    expect(selectClusters(cluster, labelled, allowed)).toEqual(expected);
  });
});

describe('cluster labels', () => {
  const labels = new FakeClusterLabels({
    east: { platform: 'k8s', datacenter: 'seoul' },
    west: { platform: 'k8s', datacenter: 'busan' },
    edge: {},
  });

  it('selects the clusters carrying every wanted label with exactly that value', () => {
    expect(labels.clustersWith([{ name: 'platform', value: 'k8s' }])).toEqual(['east', 'west']);
    expect(
      labels.clustersWith([
        { name: 'platform', value: 'k8s' },
        { name: 'datacenter', value: 'busan' },
      ]),
    ).toEqual(['west']);
    expect(labels.clustersWith([{ name: 'platform', value: 'K8S' }])).toEqual([]);
    expect(labels.clustersWith([])).toEqual(['east', 'west', 'edge']);
    expect(carriesLabels(undefined, [{ name: 'a', value: '' }])).toBe(false);
  });
});
