import type { PartialResult } from '@kcloud/common';

/**
 * cAdvisor's per-container CPU and memory (the kubelet's /metrics/cadvisor): a capability of its own — port, DI
 * token, Prometheus and simulated adapters, a testing fake; one request per cluster whatever the pod count.
 */
export const CONTAINER_USAGE_SOURCE = Symbol('CONTAINER_USAGE_SOURCE');

export interface ContainerUsageFilter {
  readonly clusters?: readonly string[];
  /** A namespace-scoped key's namespaces: only their containers are read (matched on cAdvisor's `namespace`). */
  readonly namespaces?: readonly string[];
}

export interface ContainerUsageSample {
  readonly cluster: string;
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  /** rate(container_cpu_usage_seconds_total) over the rate window: cores in use. */
  readonly cpuCores?: number;
  /** container_memory_working_set_bytes, bytes. */
  readonly memoryWorkingSetBytes?: number;
}

export interface ContainerUsageSource {
  containerUsage(filter: ContainerUsageFilter): Promise<PartialResult<ContainerUsageSample>>;
}
