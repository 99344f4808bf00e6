import { joinHostSeries } from './host-series.prometheus';

const GiB = 1024 ** 3;

describe('joinHostSeries', () => {
  it('joins memory gauges and the mean busy ratio per node and step, node = instance without its port', () => {
    const memory = [
      {
        labels: { __name__: 'node_memory_MemTotal_bytes', instance: 'n1:9100' },
        points: [
          { timestampMs: 0, value: 512 * GiB },
          { timestampMs: 15_000, value: 512 * GiB },
        ],
      },
      {
        labels: { __name__: 'node_memory_MemAvailable_bytes', instance: 'n1:9100' },
        points: [{ timestampMs: 0, value: 384 * GiB }],
      },
    ];
    const cpu = [{ labels: { instance: 'n1:9100' }, points: [{ timestampMs: 15_000, value: 1.0000001 }] }];
    expect(joinHostSeries('east', memory, cpu)).toEqual([
      {
        cluster: 'east',
        node: 'n1',
        timestampMs: 0,
        memoryUtilizationPercent: 25,
        cpuUtilizationPercent: undefined,
      },
      // No MemAvailable at 15 s: no memory share; rate() extrapolation just above 1 is clamped to 100 %.
      {
        cluster: 'east',
        node: 'n1',
        timestampMs: 15_000,
        memoryUtilizationPercent: undefined,
        cpuUtilizationPercent: 100,
      },
    ]);
  });
});
