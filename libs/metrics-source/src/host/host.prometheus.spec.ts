import { hostCpuBusyQuery, hostMemoryQuery } from './host.queries';
import { joinHosts } from './host.prometheus';
import { memoryUtilizationPercentOf } from './host.port';

const mem = (instance: string, name: string, value: number) => ({ labels: { __name__: name, instance, job: 'node-exporter' }, value, timestampMs: 0 });
const busy = (instance: string, cpu: string, value: number) => ({ labels: { instance, cpu, job: 'node-exporter' }, value, timestampMs: 0 });

describe('host (node_exporter) reads', () => {
  it('asks for both meminfo gauges in one selector and the idle rate per core', () => {
    expect(hostMemoryQuery([])).toBe('{__name__=~"node_memory_MemTotal_bytes|node_memory_MemAvailable_bytes"}');
    expect(hostCpuBusyQuery([], 30)).toBe('(1) - (rate(node_cpu_seconds_total{mode="idle"}[30s]))');
  });

  it('joins memory and cores per node from instance without its port, cores in cpu order, ratios clamped', () => {
    const hosts = joinHosts(
      'east',
      [mem('n1:9100', 'node_memory_MemTotal_bytes', 1000), mem('n1:9100', 'node_memory_MemAvailable_bytes', 250), mem('n2', 'node_memory_MemTotal_bytes', 8)],
      [busy('n1:9100', '10', 0.5), busy('n1:9100', '2', 1.0000001), busy('n1:9100', '1', Number.NaN), busy('n2', '0', -0.001)],
    );
    expect(hosts).toEqual([
      { cluster: 'east', node: 'n1', memoryTotalBytes: 1000, memoryAvailableBytes: 250, cpuCores: [{ cpu: 2, utilizationPercent: 100 }, { cpu: 10, utilizationPercent: 50 }] },
      { cluster: 'east', node: 'n2', memoryTotalBytes: 8, cpuCores: [{ cpu: 0, utilizationPercent: 0 }] },
    ]);
    expect(memoryUtilizationPercentOf(hosts[0]!)).toBe(75);
    expect(memoryUtilizationPercentOf(hosts[1]!)).toBeUndefined();
  });

  it.each([
    [{ memoryTotalBytes: 0, memoryAvailableBytes: 0 }],
    [{ memoryTotalBytes: 10, memoryAvailableBytes: 11 }],
    [{ memoryTotalBytes: 10, memoryAvailableBytes: -1 }],
    [{ memoryAvailableBytes: 1 }],
  ])('gives no memory utilisation for %o', (h) => {
    expect(memoryUtilizationPercentOf(h)).toBeUndefined();
  });
});
