import type { SimContainerUsage } from '@kcloud/fleet-model';

import { formatGoFloat } from './go-float';
import { escapeLabelValue, familyHeader } from './text-format';

/**
 * cAdvisor as the kubelet serves it at /metrics/cadvisor for one node: `container_cpu_usage_seconds_total` and
 * `container_memory_working_set_bytes` per container, with cAdvisor's pod-cgroup row (container="", the pod's total)
 * and the sandbox's pause row (container="POD") that a per-container reader must skip.
 */
export function renderCadvisor(containers: readonly SimContainerUsage[]): string {
  const rows = containers.flatMap((c) => [
    { ...c, id: `/kubepods/pod-${c.pod}/${c.container}` },
    { ...c, container: '', id: `/kubepods/pod-${c.pod}` },
    {
      ...c,
      container: 'POD',
      id: `/kubepods/pod-${c.pod}/pause`,
      cpuSecondsTotal: 1,
      memoryWorkingSetBytes: 409_600,
    },
  ]);
  const labels = (r: (typeof rows)[number]) =>
    `{container="${escapeLabelValue(r.container)}",id="${escapeLabelValue(r.id)}",namespace="${escapeLabelValue(r.namespace)}",pod="${escapeLabelValue(r.pod)}"}`;
  const lines = [
    familyHeader('container_cpu_usage_seconds_total', 'Cumulative cpu time consumed in seconds.', 'counter'),
  ];
  for (const r of rows)
    lines.push(`container_cpu_usage_seconds_total${labels(r)} ${formatGoFloat(r.cpuSecondsTotal)}`);
  lines.push(familyHeader('container_memory_working_set_bytes', 'Current working set in bytes.', 'gauge'));
  for (const r of rows)
    lines.push(`container_memory_working_set_bytes${labels(r)} ${formatGoFloat(r.memoryWorkingSetBytes)}`);
  return `${lines.join('\n')}\n`;
}
