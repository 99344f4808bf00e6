import { aggregatePower, type PowerRow } from './power-aggregate';

const T = 1_735_689_600_000;
const row = (r: Partial<PowerRow> & Pick<PowerRow, 'uuid' | 'powerWatts'>): PowerRow => ({
  timestampMs: T,
  cluster: 'east',
  node: 'n1',
  ...r,
});

describe('aggregatePower', () => {
  it('sums whole GPUs per namespace and splits a MIG board equally among its instance rows', () => {
    const rows = [
      row({ uuid: 'A', namespace: 'ml', powerWatts: 300 }),
      row({ uuid: 'B', namespace: 'ml', powerWatts: 100.5 }),
      // One A100 board (90 W) reported on three instance rows: two tenants and a free slice.
      row({ uuid: 'M', namespace: 'ml', powerWatts: 90 }),
      row({ uuid: 'M', namespace: 'inference', powerWatts: 90 }),
      row({ uuid: 'M', powerWatts: 90 }),
      row({ uuid: 'C', node: 'n2', powerWatts: NaN }),
    ];
    expect(aggregatePower(rows)).toEqual([
      { timestamp: new Date(T), cluster: 'east', node: 'n1', gpuCount: 1, powerWatts: 30 },
      {
        timestamp: new Date(T),
        cluster: 'east',
        node: 'n1',
        namespace: 'inference',
        gpuCount: 1,
        powerWatts: 30,
      },
      {
        timestamp: new Date(T),
        cluster: 'east',
        node: 'n1',
        namespace: 'ml',
        gpuCount: 3,
        powerWatts: 430.5,
      },
    ]);
  });

  it('divides a board by all its rows before filtering, so a filtered export never over-counts a board', () => {
    const rows = [
      row({ uuid: 'M', namespace: 'ml', powerWatts: 90 }),
      row({ uuid: 'M', namespace: 'inference', powerWatts: 90 }),
    ];
    expect(aggregatePower(rows, (r) => r.namespace === 'ml')).toEqual([
      { timestamp: new Date(T), cluster: 'east', node: 'n1', namespace: 'ml', gpuCount: 1, powerWatts: 45 },
    ]);
  });

  it('only sums rows that Prometheus already divided by their board (tenant-filtered reads)', () => {
    // The tenant's two instances of a four-instance 120 W board, each already worth 30 W.
    const rows = [
      row({ uuid: 'M', namespace: 'ml', powerWatts: 30 }),
      row({ uuid: 'M', namespace: 'ml', powerWatts: 30 }),
    ];
    expect(aggregatePower(rows, () => true, true)).toEqual([
      { timestamp: new Date(T), cluster: 'east', node: 'n1', namespace: 'ml', gpuCount: 1, powerWatts: 60 },
    ]);
  });

  it('keeps timestamps apart and orders by time, cluster, node, namespace', () => {
    const rows = [
      row({ uuid: 'A', timestampMs: T + 60_000, powerWatts: 2 }),
      row({ uuid: 'A', cluster: 'west', powerWatts: 1 }),
      row({ uuid: 'A', powerWatts: 1 }),
    ];
    expect(aggregatePower(rows).map((p) => [p.timestamp.getTime() - T, p.cluster, p.powerWatts])).toEqual([
      [0, 'east', 1],
      [0, 'west', 1],
      [60_000, 'east', 2],
    ]);
  });
});
