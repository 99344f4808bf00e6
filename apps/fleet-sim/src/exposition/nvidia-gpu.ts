import type { ReportedGpu } from '@kcloud/fleet-model';

import { formatGoFloat } from './go-float';
import { escapeLabelValue, familyHeader } from './text-format';

const MIB = 1024 * 1024;

/** The families seed 004's backend reads, each labelled `{node, gpu}` (gpu = index); bytes and percents as named. */
const FAMILIES: readonly {
  readonly name: string;
  readonly help: string;
  readonly value: (g: ReportedGpu) => number | undefined;
}[] = [
  {
    name: 'nvidia_gpu_utilization_percent',
    help: 'GPU utilization in percent.',
    value: (g) => g.utilizationPercent,
  },
  {
    name: 'nvidia_gpu_used_memory_bytes',
    help: 'GPU memory used in bytes.',
    value: (g) => g.memoryUsedMiB * MIB,
  },
  {
    name: 'nvidia_gpu_total_memory_bytes',
    help: 'GPU memory total in bytes.',
    value: (g) =>
      g.memoryFreeMiB === undefined
        ? undefined
        : (g.memoryUsedMiB + g.memoryFreeMiB + (g.memoryReservedMiB ?? 0)) * MIB,
  },
  {
    name: 'nvidia_gpu_free_memory_bytes',
    help: 'GPU memory free in bytes.',
    value: (g) => (g.memoryFreeMiB === undefined ? undefined : g.memoryFreeMiB * MIB),
  },
  {
    name: 'nvidia_gpu_memory_utilization_percent',
    help: 'Percent of time GPU memory was being read or written.',
    value: (g) => g.memoryCopyUtilizationPercent,
  },
  {
    name: 'nvidia_gpu_temperature_celsius',
    help: 'GPU temperature in Celsius.',
    value: (g) => g.temperatureCelsius,
  },
];

/**
 * The `nvidia_gpu_*{node, gpu}` exporter seed 004 reads (its README's "nvidia-gpu-exporter"): one gauge per family
 * and GPU, labelled by Kubernetes node and GPU index only (no UUID, no model); a value the GPU lacks is not printed.
 */
export function renderNvidiaGpu(gpus: readonly ReportedGpu[]): string {
  const lines: string[] = [];
  for (const f of FAMILIES) {
    lines.push(familyHeader(f.name, f.help, 'gauge'));
    for (const g of gpus) {
      const v = f.value(g);
      if (v !== undefined)
        lines.push(`${f.name}{gpu="${g.index}",node="${escapeLabelValue(g.node)}"} ${formatGoFloat(v)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
