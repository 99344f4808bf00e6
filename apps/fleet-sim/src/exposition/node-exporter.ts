import { HOST_CPU_MODES, type SimFilesystem, type SimHost } from '@kcloud/fleet-model';

import { formatGoFloat } from './go-float';
import { familyHeader } from './text-format';

/**
 * prometheus/node_exporter output for one host, the families the API reads: `node_cpu_seconds_total{cpu,mode}`
 * (cpu collector), `node_memory_MemTotal_bytes` / `node_memory_MemAvailable_bytes` (meminfo), `node_filesystem_{size,avail}_bytes`
 * (filesystem), `node_load1/5/15` (loadavg) and `node_network_{receive,transmit}_bytes_total` (netdev). Like the
 * real exporter it names no node: the scrape's `instance` (host:9100, or the node name with kube-prometheus'
 * relabeling) says whose host it is.
 */
export function renderNodeExporter(host: SimHost): string {
  const lines = [familyHeader('node_cpu_seconds_total', 'Seconds the CPUs spent in each mode.', 'counter')];
  for (const core of host.cores)
    for (const mode of HOST_CPU_MODES)
      lines.push(
        `node_cpu_seconds_total{cpu="${core.cpu}",mode="${mode}"} ${formatGoFloat(core.secondsByMode[mode])}`,
      );
  lines.push(
    familyHeader('node_memory_MemAvailable_bytes', 'Memory information field MemAvailable_bytes.', 'gauge'),
    `node_memory_MemAvailable_bytes ${formatGoFloat(host.memoryAvailableBytes)}`,
    familyHeader('node_memory_MemTotal_bytes', 'Memory information field MemTotal_bytes.', 'gauge'),
    `node_memory_MemTotal_bytes ${formatGoFloat(host.memoryTotalBytes)}`,
  );
  // filesystem, loadavg and netdev collectors, in node_exporter's family order.
  lines.push(
    familyHeader(
      'node_filesystem_avail_bytes',
      'Filesystem space available to non-root users in bytes.',
      'gauge',
    ),
  );
  for (const f of host.filesystems)
    lines.push(`node_filesystem_avail_bytes${fsLabels(f)} ${formatGoFloat(f.availBytes)}`);
  lines.push(familyHeader('node_filesystem_size_bytes', 'Filesystem size in bytes.', 'gauge'));
  for (const f of host.filesystems)
    lines.push(`node_filesystem_size_bytes${fsLabels(f)} ${formatGoFloat(f.sizeBytes)}`);
  for (const [name, help, value] of [
    ['node_load1', '1m load average.', host.load.load1],
    ['node_load15', '15m load average.', host.load.load15],
    ['node_load5', '5m load average.', host.load.load5],
  ] as const)
    lines.push(familyHeader(name, help, 'gauge'), `${name} ${formatGoFloat(value)}`);
  lines.push(
    familyHeader('node_network_receive_bytes_total', 'Network device statistic receive_bytes.', 'counter'),
  );
  for (const d of host.network)
    lines.push(
      `node_network_receive_bytes_total{device="${d.device}"} ${formatGoFloat(d.receiveBytesTotal)}`,
    );
  lines.push(
    familyHeader('node_network_transmit_bytes_total', 'Network device statistic transmit_bytes.', 'counter'),
  );
  for (const d of host.network)
    lines.push(
      `node_network_transmit_bytes_total{device="${d.device}"} ${formatGoFloat(d.transmitBytesTotal)}`,
    );
  return `${lines.join('\n')}\n`;
}

const fsLabels = (f: SimFilesystem): string =>
  `{device="${f.device}",fstype="${f.fstype}",mountpoint="${f.mountpoint}"}`;
