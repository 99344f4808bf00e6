import { fleetCounts } from './report-input';
import { point } from './testing/report-points';

describe('fleetCounts', () => {
  it('counts devices per GPU or MIG instance, a board once per cluster, nodes per cluster, allocated devices', () => {
    const current = [
      point(0, { uuid: 'A', namespace: 'ml' }),
      point(0, { uuid: 'M', migInstanceId: '1', namespace: 'inf' }),
      point(0, { uuid: 'M', migInstanceId: '2' }),
      // The same UUID reported by another cluster is another board there (as boardPowerNowWatts counts it).
      point(0, { uuid: 'A', cluster: 'west' }),
    ];
    expect(fleetCounts(current)).toEqual({
      clusters: 2,
      nodes: 2,
      devices: 4,
      physicalGpus: 3,
      allocatedDevices: 2,
    });
  });
});
