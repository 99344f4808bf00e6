import type { KeplerVersion } from '@kcloud/common';

/**
 * Kepler's exporter generations as data: which families carry each power part and which labels name the node and
 * the workload. ≥ 0.10 (`v0.10`) reports the CPU as one family with a `zone` label, pods as families of their own and
 * the platform as a watts gauge; ≤ 0.7 (`v0.7`) has one joule counter per component, pods only as containers (with
 * pseudo-containers for the kernel) and the platform as a counter. Queries and joins read this table, never the
 * version. METRICS.md §2 lists the names.
 */

/** A CPU family: its zones selected by regex (≥ 0.10), or one zone per family, synthesised as `zone` (≤ 0.7). */
export type CpuZoneFamily =
  | { readonly metric: string; readonly zones: string }
  | { readonly metric: string; readonly zone: string };

/** A node part beside the CPU: the family, how it is aggregated per node, and whether it is a counter or a gauge. */
export interface NodeFamily {
  readonly part: NodePartName;
  readonly metric: string;
  readonly aggregation: 'sum' | 'max';
  readonly kind: 'counter' | 'gauge' | 'raw';
}

export type NodePartName = 'gpu' | 'other' | 'platform' | 'platformCounter' | 'gpuJoules' | 'usage';

export interface KeplerNodeGeneration {
  /** Labels that name the node on Kepler's node families. */
  readonly nodeLabels: readonly string[];
  /** CPU package / core / DRAM power, tagged `cpu`. */
  readonly cpu: readonly CpuZoneFamily[];
  /** The other parts, read as watts (or energy). */
  readonly parts: readonly NodeFamily[];
  /** Absolute joule counters of package and DRAM (current snapshots), tagged `cpu_j`. */
  readonly cpuCounters: readonly CpuZoneFamily[];
  /** Absolute counters and ratios beside them (current snapshots). */
  readonly counters: readonly NodeFamily[];
}

/** A workload part: the family (or names) and the CPU zone it is restricted to. */
export interface WorkloadFamily {
  readonly part: 'cpu' | 'dram' | 'gpu' | 'cpuJoules' | 'gpuJoules';
  /** `{family}` stands for the generation's pod or container family prefix. */
  readonly metric: string | readonly string[];
  readonly zone?: string;
  readonly zones?: string;
}

export interface KeplerWorkloadGeneration {
  readonly labels: { readonly namespace: string; readonly pod: string; readonly node: readonly string[] };
  /** The family prefix per level (`{family}` in the metric names). */
  readonly family: { readonly pod: string; readonly container: string };
  /** The labels of a container row before the node labels. */
  readonly containerKeys: readonly string[];
  /**
   * Container rows carry the tenant labels themselves (≤ 0.7); otherwise they name their pod by `pod_id` only, and a
   * `pods` part maps pod_id to namespace and pod (≥ 0.10).
   */
  readonly containersCarryTenant: boolean;
  /** Namespaces of pseudo-containers that are not pods (≤ 0.7 books kernel and system work there). */
  readonly pseudoNamespaces?: string;
  /** Watts (or energy) parts. */
  readonly watts: readonly WorkloadFamily[];
  /** Absolute joule counters (current snapshots). */
  readonly counters: readonly WorkloadFamily[];
}

export interface KeplerGeneration {
  readonly node: KeplerNodeGeneration;
  readonly workload: KeplerWorkloadGeneration;
}

export const KEPLER_GENERATIONS: Readonly<Record<KeplerVersion, KeplerGeneration>> = {
  'v0.10': {
    node: {
      nodeLabels: ['node_name'],
      cpu: [{ metric: 'kepler_node_cpu_joules_total', zones: 'package|core|dram' }],
      parts: [
        { part: 'gpu', metric: 'kepler_node_gpu_joules_total', aggregation: 'sum', kind: 'counter' },
        { part: 'platform', metric: 'kepler_platform_watts', aggregation: 'max', kind: 'gauge' },
      ],
      cpuCounters: [{ metric: 'kepler_node_cpu_joules_total', zones: 'package|dram' }],
      counters: [
        { part: 'gpuJoules', metric: 'kepler_node_gpu_joules_total', aggregation: 'sum', kind: 'raw' },
        { part: 'usage', metric: 'kepler_node_cpu_usage_ratio', aggregation: 'max', kind: 'raw' },
      ],
    },
    workload: {
      labels: { namespace: 'pod_namespace', pod: 'pod_name', node: ['node_name'] },
      family: { pod: 'kepler_pod', container: 'kepler_container' },
      containerKeys: ['container_id', 'container_name', 'pod_id'],
      containersCarryTenant: false,
      watts: [
        { part: 'cpu', metric: '{family}_cpu_joules_total', zone: 'package' },
        { part: 'dram', metric: '{family}_cpu_joules_total', zone: 'dram' },
        { part: 'gpu', metric: '{family}_gpu_joules_total' },
      ],
      counters: [
        { part: 'cpuJoules', metric: '{family}_cpu_joules_total', zones: 'package|dram' },
        { part: 'gpuJoules', metric: '{family}_gpu_joules_total' },
      ],
    },
  },
  'v0.7': {
    node: {
      nodeLabels: ['exported_instance', 'instance'],
      cpu: [
        { metric: 'kepler_node_package_joules_total', zone: 'package' },
        { metric: 'kepler_node_core_joules_total', zone: 'core' },
        { metric: 'kepler_node_dram_joules_total', zone: 'dram' },
      ],
      parts: [
        { part: 'gpu', metric: 'kepler_node_gpu_joules_total', aggregation: 'sum', kind: 'counter' },
        { part: 'other', metric: 'kepler_node_other_joules_total', aggregation: 'sum', kind: 'counter' },
        {
          part: 'platformCounter',
          metric: 'kepler_node_platform_joules_total',
          aggregation: 'sum',
          kind: 'counter',
        },
      ],
      cpuCounters: [
        { metric: 'kepler_node_package_joules_total', zone: 'package' },
        { metric: 'kepler_node_dram_joules_total', zone: 'dram' },
      ],
      counters: [
        { part: 'gpuJoules', metric: 'kepler_node_gpu_joules_total', aggregation: 'sum', kind: 'raw' },
      ],
    },
    workload: {
      labels: { namespace: 'container_namespace', pod: 'pod_name', node: ['instance'] },
      family: { pod: 'kepler_container', container: 'kepler_container' },
      containerKeys: ['container_id', 'container_name', 'container_namespace', 'pod_name'],
      containersCarryTenant: true,
      pseudoNamespaces: 'system|kernel',
      watts: [
        { part: 'cpu', metric: 'kepler_container_package_joules_total' },
        { part: 'dram', metric: 'kepler_container_dram_joules_total' },
        { part: 'gpu', metric: 'kepler_container_gpu_joules_total' },
      ],
      counters: [
        {
          part: 'cpuJoules',
          metric: ['kepler_container_package_joules_total', 'kepler_container_dram_joules_total'],
        },
        { part: 'gpuJoules', metric: 'kepler_container_gpu_joules_total' },
      ],
    },
  },
};
