import { HOST_CPU_MODES, type SimHost } from '@kcloud/fleet-model';

import { formatGoFloat } from './go-float';
import { familyHeader } from './text-format';

/**
 * prometheus/node_exporter output for one host, the families the API reads: `node_cpu_seconds_total{cpu,mode}`
 * (cpu collector) and `node_memory_MemTotal_bytes` / `node_memory_MemAvailable_bytes` (meminfo collector). Like the
 * real exporter it names no node: the scrape's `instance` (host:9100, or the node name with kube-prometheus'
 * relabeling) says whose host it is.
 */
export function renderNodeExporter(host: SimHost): string {
  const lines = [familyHeader('node_cpu_seconds_total', 'Seconds the CPUs spent in each mode.', 'counter')];
  for (const core of host.cores)
    for (const mode of HOST_CPU_MODES)
      lines.push(`node_cpu_seconds_total{cpu="${core.cpu}",mode="${mode}"} ${formatGoFloat(core.secondsByMode[mode])}`);
  lines.push(
    familyHeader('node_memory_MemAvailable_bytes', 'Memory information field MemAvailable_bytes.', 'gauge'),
    `node_memory_MemAvailable_bytes ${formatGoFloat(host.memoryAvailableBytes)}`,
    familyHeader('node_memory_MemTotal_bytes', 'Memory information field MemTotal_bytes.', 'gauge'),
    `node_memory_MemTotal_bytes ${formatGoFloat(host.memoryTotalBytes)}`,
  );
  return `${lines.join('\n')}\n`;
}
