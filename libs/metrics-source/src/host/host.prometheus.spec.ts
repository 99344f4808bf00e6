import { hostCpuBusyQuery, hostGaugesQuery, hostMemoryQuery, hostRatesQuery } from './host.queries';
import { joinHosts } from './host.prometheus';
import { memoryUtilizationPercentOf, rootFilesystemUsedPercentOf } from './host.port';

const mem = (instance: string, name: string, value: number) => ({
  labels: { __name__: name, instance, job: 'node-exporter' },
  value,
  timestampMs: 0,
});
const busy = (instance: string, cpu: string, value: number) => ({
  labels: { instance, cpu, job: 'node-exporter' },
  value,
  timestampMs: 0,
});

describe('host (node_exporter) reads', () => {
  it('asks for both meminfo gauges in one selector and the idle rate per core', () => {
    expect(hostMemoryQuery([])).toBe(
      '{__name__=~"node_memory_MemTotal_bytes|node_memory_MemAvailable_bytes"}',
    );
    expect(hostCpuBusyQuery([], 30)).toBe('(1) - (rate(node_cpu_seconds_total{mode="idle"}[30s]))');
  });

  it('joins memory and cores per node from instance without its port, cores in cpu order, ratios clamped', () => {
    const hosts = joinHosts(
      'east',
      [
        mem('n1:9100', 'node_memory_MemTotal_bytes', 1000),
        mem('n1:9100', 'node_memory_MemAvailable_bytes', 250),
        mem('n2', 'node_memory_MemTotal_bytes', 8),
      ],
      [
        busy('n1:9100', '10', 0.5),
        busy('n1:9100', '2', 1.0000001),
        busy('n1:9100', '1', Number.NaN),
        busy('n2', '0', -0.001),
      ],
    );
    expect(hosts).toEqual([
      {
        cluster: 'east',
        node: 'n1',
        memoryTotalBytes: 1000,
        memoryAvailableBytes: 250,
        cpuCores: [
          { cpu: 2, utilizationPercent: 100 },
          { cpu: 10, utilizationPercent: 50 },
        ],
      },
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

  it('reads meminfo, loadavg and the root filesystem in one request, and per-core and network rates in another', () => {
    expect(hostGaugesQuery([])).toBe(
      '({__name__=~"node_memory_MemTotal_bytes|node_memory_MemAvailable_bytes|node_load1|node_load5|node_load15"}) or ' +
        '({__name__=~"node_filesystem_size_bytes|node_filesystem_avail_bytes", mountpoint="/", fstype!~"tmpfs|overlay"})',
    );
    const rates = hostRatesQuery([], 10);
    expect(rates.startsWith('((1) - (rate(node_cpu_seconds_total{mode="idle"}[10s]))) or ')).toBe(true);
    for (const direction of ['receive', 'transmit'])
      expect(rates).toContain(
        `label_replace(sum by (instance) (rate(node_network_${direction}_bytes_total{device!~"lo|veth.*|cali.*|flannel.*|cni.*|` +
          `docker.*|virbr.*|vxlan.*|cilium.*|lxc.*|tunl.*|kube-ipvs.*"}[10s])), "direction", "${direction}", "instance", ".*")`,
      );
  });

  it('joins load, root filesystem and network rates per node; cores and network tell apart by the direction label', () => {
    const net = (instance: string, direction: string, value: number) => ({
      labels: { instance, direction },
      value,
      timestampMs: 0,
    });
    const hosts = joinHosts(
      'east',
      [
        mem('n1:9100', 'node_load1', 3.5),
        mem('n1:9100', 'node_load5', 2.25),
        mem('n1:9100', 'node_load15', 1),
        mem('n1:9100', 'node_filesystem_size_bytes', 1000),
        mem('n1:9100', 'node_filesystem_avail_bytes', 400),
        mem('n1:9100', 'node_something_else', 7),
        mem('n2:9100', 'node_load1', Number.NaN),
      ],
      [
        busy('n1:9100', '0', 0.25),
        net('n1:9100', 'receive', 1500),
        net('n1:9100', 'transmit', 250),
        net('n2:9100', 'receive', -1),
        net('n2:9100', 'transmit', 0),
      ],
    );
    expect(hosts).toEqual([
      {
        cluster: 'east',
        node: 'n1',
        load1: 3.5,
        load5: 2.25,
        load15: 1,
        rootFilesystemSizeBytes: 1000,
        rootFilesystemAvailableBytes: 400,
        networkReceiveBytesPerSecond: 1500,
        networkTransmitBytesPerSecond: 250,
        cpuCores: [{ cpu: 0, utilizationPercent: 25 }],
      },
      { cluster: 'east', node: 'n2', networkTransmitBytesPerSecond: 0, cpuCores: [] },
    ]);
    expect(rootFilesystemUsedPercentOf(hosts[0]!)).toBe(60);
    expect(rootFilesystemUsedPercentOf(hosts[1]!)).toBeUndefined();
    expect(
      rootFilesystemUsedPercentOf({ rootFilesystemSizeBytes: 10, rootFilesystemAvailableBytes: 11 }),
    ).toBeUndefined();
  });
});
