import type { UpstreamField } from '../request/upstream-fields';

/** A cAdvisor reading of a container, exposed under its own name on Pod (summed over containers) and Container. */
export interface UsageField extends UpstreamField {
  readonly name: 'cpuCores' | 'memoryWorkingSetBytes';
}

/** Pod usage fields, as data: one resolver body serves them all (PodUsageResolver). */
export const POD_USAGE_FIELDS: readonly UsageField[] = [
  {
    name: 'cpuCores',
    description:
      'CPU cores in use: rate(container_cpu_usage_seconds_total) over the rate window, summed over the pod’s ' +
      'containers (not the pod cgroup or pause rows); null without cAdvisor',
  },
  {
    name: 'memoryWorkingSetBytes',
    description:
      'container_memory_working_set_bytes summed over the pod’s containers, bytes; null without cAdvisor',
  },
];

/** Container usage fields, as data: one resolver body serves them all (ContainerUsageResolver). */
export const CONTAINER_USAGE_FIELDS: readonly UsageField[] = [
  {
    name: 'cpuCores',
    description:
      'CPU cores in use: rate(container_cpu_usage_seconds_total) over the rate window; null without cAdvisor',
  },
  {
    name: 'memoryWorkingSetBytes',
    description: 'container_memory_working_set_bytes, bytes; null without cAdvisor',
  },
];
