import { ClusterLabelResolution, FakeClusterLabels, type LabelMatch } from '@kcloud/metrics-source';
import { toDeviceFilter } from './device-query';

const labels = new ClusterLabelResolution(
  new FakeClusterLabels({ east: { platform: 'dgx' }, west: { platform: 'hgx' }, north: { platform: 'hgx' } }),
);

describe('ClusterLabelResolution with toDeviceFilter', () => {
  it('reads only the clusters the labels select, within the named cluster and the scope', () => {
    const hgx = [{ name: 'platform', value: 'hgx' }];
    expect(toDeviceFilter(labels.resolve({ clusterLabels: hgx }), {}).clusters).toEqual(['west', 'north']);
    expect(toDeviceFilter(labels.resolve({ clusterLabels: hgx, cluster: 'west' }), {}).clusters).toEqual([
      'west',
    ]);
    expect(toDeviceFilter(labels.resolve({ clusterLabels: hgx }), { clusters: ['north'] }).clusters).toEqual([
      'north',
    ]);
  });

  it('matches no cluster (never every cluster) when the labels select none', () => {
    const none = labels.resolve({ clusterLabels: [{ name: 'platform', value: 'tpu' }] });
    expect(toDeviceFilter(none, {}).clusters).toEqual([]);
    expect(toDeviceFilter(none, { clusters: ['east'] }).clusters).toEqual([]);
  });

  it('leaves a filter without labels as it was', () => {
    const query: { cluster: string; clusterLabels?: LabelMatch[] } = { cluster: 'east' };
    expect(labels.resolve(query)).toBe(query);
    expect(toDeviceFilter(labels.resolve({}), {}).clusters).toBeUndefined();
  });
});
