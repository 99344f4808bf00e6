import { simHost } from '@kcloud/fleet-model';
import { renderNodeExporter } from './node-exporter';
import { formatGoFloat } from './go-float';

describe('renderNodeExporter', () => {
  it('renders node_exporter’s cpu and meminfo families with its names, help texts and labels', () => {
    const text = renderNodeExporter(simHost('east', 'gpu-node-01', Date.UTC(2026, 0, 1)));
    const lines = text.split('\n');
    expect(lines.slice(0, 2)).toEqual([
      '# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.',
      '# TYPE node_cpu_seconds_total counter',
    ]);
    expect(lines.filter((l) => l.startsWith('node_cpu_seconds_total{'))).toHaveLength(32 * 4);
    expect(lines[2]).toMatch(/^node_cpu_seconds_total\{cpu="0",mode="idle"\} \d+(\.\d+)?(e\+\d+)?$/);
    expect(text).toContain(
      '# TYPE node_memory_MemTotal_bytes gauge\nnode_memory_MemTotal_bytes 5.49755813888e+11\n',
    );
    expect(text).toMatch(/# TYPE node_memory_MemAvailable_bytes gauge\nnode_memory_MemAvailable_bytes \S+\n/);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('renders the filesystem, loadavg and netdev families with node_exporter’s labels, virtual mounts and devices included', () => {
    const host = simHost('east', 'gpu-node-01', Date.UTC(2026, 0, 1));
    const text = renderNodeExporter(host);
    const root = host.filesystems.find((f) => f.mountpoint === '/')!;
    expect(text).toContain(
      '# HELP node_filesystem_size_bytes Filesystem size in bytes.\n# TYPE node_filesystem_size_bytes gauge\n',
    );
    expect(text).toContain(
      `node_filesystem_avail_bytes{device="/dev/nvme0n1p2",fstype="ext4",mountpoint="/"} ${formatGoFloat(root.availBytes)}\n`,
    );
    expect(text).toContain('node_filesystem_size_bytes{device="tmpfs",fstype="tmpfs",mountpoint="/run"} ');
    expect(text).toContain('node_filesystem_size_bytes{device="overlay",fstype="overlay",');
    expect(text).toContain(
      `# HELP node_load1 1m load average.\n# TYPE node_load1 gauge\nnode_load1 ${formatGoFloat(host.load.load1)}\n`,
    );
    expect(text).toMatch(/\nnode_load5 \S+\n/);
    expect(text).toMatch(/\nnode_load15 \S+\n/);
    expect(text).toContain(
      '# HELP node_network_receive_bytes_total Network device statistic receive_bytes.\n# TYPE node_network_receive_bytes_total counter\n',
    );
    for (const device of ['eth0', 'eth1', 'lo', 'veth1a2b3c', 'cali0f1e2d', 'flannel.1', 'docker0']) {
      expect(text).toContain(`node_network_receive_bytes_total{device="${device}"} `);
      expect(text).toContain(`node_network_transmit_bytes_total{device="${device}"} `);
    }
  });
});
