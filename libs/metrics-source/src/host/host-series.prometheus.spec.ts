import { joinHostSeries } from './host-series.prometheus';
import { hostSeriesRatesQuery } from './host.queries';

const GiB = 1024 ** 3;
const series = (labels: Record<string, string>, points: [number, number][]) => ({
  labels,
  points: points.map(([s, value]) => ({ timestampMs: s * 1000, value })),
});

describe('joinHostSeries', () => {
  it('joins the gauges, the mean busy ratio and the network rates per node and step, node = instance without its port', () => {
    const gauges = [
      series({ __name__: 'node_memory_MemTotal_bytes', instance: 'n1:9100' }, [
        [0, 512 * GiB],
        [15, 512 * GiB],
      ]),
      series({ __name__: 'node_memory_MemAvailable_bytes', instance: 'n1:9100' }, [[0, 384 * GiB]]),
      series({ __name__: 'node_load1', instance: 'n1:9100' }, [[0, 0]]),
      series({ __name__: 'node_filesystem_size_bytes', instance: 'n1:9100', mountpoint: '/' }, [[15, 1000]]),
      series({ __name__: 'node_filesystem_avail_bytes', instance: 'n1:9100', mountpoint: '/' }, [[15, 400]]),
    ];
    const rates = [
      series({ instance: 'n1:9100' }, [[15, 1.0000001]]),
      series({ instance: 'n2:9100' }, [[0, 0.25]]),
      series({ instance: 'n1:9100', direction: 'receive' }, [[15, 2048]]),
      series({ instance: 'n1:9100', direction: 'transmit' }, [[15, -1]]),
    ];
    expect(joinHostSeries('east', gauges, rates)).toEqual([
      {
        cluster: 'east',
        node: 'n1',
        timestampMs: 0,
        memoryTotalBytes: 512 * GiB,
        memoryAvailableBytes: 384 * GiB,
        memoryUtilizationPercent: 25,
        load1: 0,
      },
      // A node with only its CPU series at a step still has a point.
      { cluster: 'east', node: 'n2', timestampMs: 0, cpuUtilizationPercent: 25 },
      // No MemAvailable at 15 s: no memory share; rate() extrapolation just above 1 is clamped to 100 %; a negative
      // network rate is no reading.
      {
        cluster: 'east',
        node: 'n1',
        timestampMs: 15_000,
        memoryTotalBytes: 512 * GiB,
        cpuUtilizationPercent: 100,
        rootFilesystemSizeBytes: 1000,
        rootFilesystemAvailableBytes: 400,
        rootFilesystemUsedPercent: 60,
        networkReceiveBytesPerSecond: 2048,
      },
    ]);
  });
});

describe('hostSeriesRatesQuery', () => {
  it('averages the cores per instance in Prometheus (one series per node) and adds the tagged network rates', () => {
    const q = hostSeriesRatesQuery([], 60);
    expect(q).toContain('avg by (instance) ((1) - (rate(node_cpu_seconds_total{mode="idle"}[60s])))');
    expect(q).toContain('"direction", "receive"');
    expect(q).toContain('"direction", "transmit"');
  });
});
