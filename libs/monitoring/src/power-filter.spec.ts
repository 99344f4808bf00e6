import { powerFilter } from './power-filter';

describe('powerFilter with cluster labels', () => {
  it('reads only the clusters the labels selected, within the named cluster and the scope', () => {
    expect(powerFilter({ labelledClusters: ['west', 'north'] }, {}).filter.clusters).toEqual([
      'west',
      'north',
    ]);
    expect(powerFilter({ cluster: 'west', labelledClusters: ['west', 'north'] }, {}).filter.clusters).toEqual(
      ['west'],
    );
    expect(
      powerFilter({ labelledClusters: ['west', 'north'] }, { clusters: ['north', 'east'] }).filter.clusters,
    ).toEqual(['north']);
  });

  it('reads nothing (never every cluster) when the labels selected none, or none the caller may see', () => {
    for (const [query, scope] of [
      [{ labelledClusters: [] }, {}],
      [{ cluster: 'east', labelledClusters: ['west'] }, {}],
      [{ labelledClusters: ['west'] }, { clusters: ['east'] }],
    ] as const) {
      const read = powerFilter(query, scope);
      expect(read.empty).toBe(true);
      expect(read.filter.clusters).toEqual([]);
    }
  });

  it('keeps the old filter when no labels are asked for', () => {
    expect(powerFilter({}, {}).filter).toEqual({});
    expect(powerFilter({ cluster: 'east' }, { clusters: ['east', 'west'] }).filter.clusters).toEqual([
      'east',
    ]);
    expect(powerFilter({}, { clusters: ['east'] }).filter.clusters).toEqual(['east']);
  });
});
