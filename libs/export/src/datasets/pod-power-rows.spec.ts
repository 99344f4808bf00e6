import { POD_POWER_COLUMNS, podPowerRows } from './pod-power-rows';

const T0 = Date.UTC(2026, 0, 1);
const T1 = T0 + 60_000;

describe('podPowerRows', () => {
  it('gives one row per pod and step, ordered by time, cluster, namespace and pod, node empty when unknown', () => {
    expect(POD_POWER_COLUMNS.map((c) => c.name)).toEqual([
      'timestamp',
      'cluster',
      'namespace',
      'pod',
      'node',
      'power_watts',
    ]);
    const rows = podPowerRows([
      { cluster: 'west', namespace: 'ml', pod: 'p1', node: 'n3', points: [{ timestampMs: T0, value: 40 }] },
      {
        cluster: 'east',
        namespace: 'ml',
        pod: 'p2',
        points: [
          { timestampMs: T1, value: 12 },
          { timestampMs: T0, value: 10 },
        ],
      },
      { cluster: 'east', namespace: 'ai', pod: 'p9', node: 'n1', points: [{ timestampMs: T0, value: 5.5 }] },
    ]);
    expect(rows).toEqual([
      [new Date(T0), 'east', 'ai', 'p9', 'n1', 5.5],
      [new Date(T0), 'east', 'ml', 'p2', null, 10],
      [new Date(T0), 'west', 'ml', 'p1', 'n3', 40],
      [new Date(T1), 'east', 'ml', 'p2', null, 12],
    ]);
  });
});
