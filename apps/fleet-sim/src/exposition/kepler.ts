import type { SimNodeEnergy, SimNodePower } from '@kcloud/fleet-model';

import { formatGoFloat, sortedLabelSet } from './go-float';
import { escapeLabelValue, familyHeader, type MetricType } from './text-format';

/**
 * Kepler's exposition (METRICS.md §2) for one node or several. `v0.10` is the rewritten exporter (≥ 0.10, GPU
 * families of ≥ 0.11.4, the experimental Redfish `kepler_platform_watts`); `v0.7` the old architecture (also 0.8/0.9):
 * joules counters only, `mode="dynamic"|"idle"`, no pod level, node metrics with an `instance` label.
 * Labels are sorted, values printed as client_golang does.
 */
export type KeplerVersion = 'v0.10' | 'v0.7';

export interface KeplerNodeView {
  readonly power: SimNodePower;
  readonly energy: SimNodeEnergy;
  readonly gpus: readonly { readonly uuid: string; readonly index: number; readonly model: string }[];
}

type Row = readonly [labels: Record<string, string>, value: number];

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly rows: (n: KeplerNodeView) => readonly Row[];
  /** Constant families (build/node info) appear once per body, not once per node. */
  readonly once?: boolean;
}

const RAPL = '/sys/class/powercap/intel-rapl/intel-rapl:0';
const ZONES = [
  { zone: 'package', path: RAPL, watts: 'cpuPackageWatts', joules: 'cpuPackageJoules' },
  { zone: 'core', path: `${RAPL}/intel-rapl:0:0`, watts: 'cpuCoreWatts', joules: 'cpuCoreJoules' },
  { zone: 'dram', path: `${RAPL}/intel-rapl:0:1`, watts: 'dramWatts', joules: 'dramJoules' },
] as const;
const POD_ZONES = [
  { zone: 'package', watts: 'cpuPackageWatts', joules: 'cpuPackageJoules' },
  { zone: 'core', watts: 'cpuCoreWatts', joules: 'cpuCoreJoules' },
  { zone: 'dram', watts: 'dramWatts', joules: 'dramJoules' },
] as const;

const podsOf = (n: KeplerNodeView) =>
  n.power.pods.map((p) => ({ p, e: n.energy.pods.get(p.uid) })).filter((x) => x.e !== undefined);

const V010: readonly Family[] = [
  {
    name: 'kepler_node_cpu_joules_total',
    help: 'Energy consumption of cpu at node level in joules',
    type: 'counter',
    rows: (n) =>
      ZONES.map((z) => [{ node_name: n.power.node, path: z.path, zone: z.zone }, n.energy[z.joules]]),
  },
  {
    name: 'kepler_node_cpu_watts',
    help: 'Power consumption of cpu at node level in watts',
    type: 'gauge',
    rows: (n) =>
      ZONES.map((z) => [{ node_name: n.power.node, path: z.path, zone: z.zone }, n.power[z.watts]]),
  },
  {
    name: 'kepler_node_cpu_usage_ratio',
    help: 'CPU usage ratio of a node (value between 0.0 and 1.0)',
    type: 'gauge',
    rows: (n) => [[{ node_name: n.power.node }, n.power.cpuUsageRatio]],
  },
  {
    name: 'kepler_node_gpu_joules_total',
    help: 'Energy consumption of GPU at node level in joules',
    type: 'counter',
    rows: (n) => n.gpus.map((g) => [gpuLabels(n, g), n.energy.gpuJoules.get(g.uuid) ?? 0]),
  },
  {
    name: 'kepler_node_gpu_watts',
    help: 'Power consumption of GPU at node level in watts',
    type: 'gauge',
    rows: (n) => n.gpus.map((g) => [gpuLabels(n, g), n.power.gpuBoardWatts.get(g.uuid) ?? 0]),
  },
  {
    name: 'kepler_platform_watts',
    help: 'Current platform power in watts from BMC',
    type: 'gauge',
    rows: (n) => [
      [
        {
          bmc_id: 'bmc',
          chassis_id: '1',
          node_name: n.power.node,
          source: 'redfish',
          source_id: 'PC1',
          source_name: 'Server Power Control',
          source_type: 'PowerControl',
        },
        n.power.serverInputWatts,
      ],
    ],
  },
  ...workloadFamilies('pod', podLabels),
  ...workloadFamilies('container', containerLabels),
  {
    name: 'kepler_build_info',
    help: "A metric with a constant '1' value labeled with version information",
    type: 'gauge',
    once: true,
    rows: () => [
      [{ arch: 'amd64', branch: 'main', goversion: 'go1.24.4', revision: '13944a69', version: 'v0.11.4' }, 1],
    ],
  },
];

type PodPower = SimNodePower['pods'][number];

function gpuLabels(n: KeplerNodeView, g: KeplerNodeView['gpus'][number]): Record<string, string> {
  return {
    gpu: String(g.index),
    gpu_name: g.model,
    gpu_uuid: g.uuid,
    node_name: n.power.node,
    vendor: 'nvidia',
  };
}

function podLabels(n: KeplerNodeView, p: PodPower): Record<string, string> {
  return {
    node_name: n.power.node,
    pod_id: p.uid,
    pod_name: p.pod,
    pod_namespace: p.namespace,
    state: 'running',
  };
}

function containerLabels(n: KeplerNodeView, p: PodPower): Record<string, string> {
  return {
    container_id: p.containerId,
    container_name: p.container,
    node_name: n.power.node,
    pod_id: p.uid,
    runtime: 'containerd',
    state: 'running',
  };
}

/** Kepler ≥ 0.10 writes the same four families at pod and at container level; only the level's labels differ. */
function workloadFamilies(
  level: 'pod' | 'container',
  labels: (n: KeplerNodeView, p: PodPower) => Record<string, string>,
): Family[] {
  // Kepler emits container and pod GPU series only while the value is above zero.
  const withGpu = (n: KeplerNodeView) => podsOf(n).filter(({ p }) => p.gpuWatts > 0);
  return [
    {
      name: `kepler_${level}_cpu_joules_total`,
      help: `Energy consumption of cpu at ${level} level in joules`,
      type: 'counter',
      rows: (n) =>
        podsOf(n).flatMap(({ p, e }) =>
          POD_ZONES.map((z) => [{ ...labels(n, p), zone: z.zone }, e![z.joules]] as Row),
        ),
    },
    {
      name: `kepler_${level}_cpu_watts`,
      help: `Power consumption of cpu at ${level} level in watts`,
      type: 'gauge',
      rows: (n) =>
        podsOf(n).flatMap(({ p }) =>
          POD_ZONES.map((z) => [{ ...labels(n, p), zone: z.zone }, p[z.watts]] as Row),
        ),
    },
    {
      name: `kepler_${level}_gpu_joules_total`,
      help: `Energy consumption of GPU at ${level} level in joules`,
      type: 'counter',
      rows: (n) => withGpu(n).map(({ p, e }) => [labels(n, p), e!.gpuJoules]),
    },
    {
      name: `kepler_${level}_gpu_watts`,
      help: `Power consumption of GPU at ${level} level in watts`,
      type: 'gauge',
      rows: (n) => withGpu(n).map(({ p }) => [labels(n, p), p.gpuWatts]),
    },
  ];
}

// --- Kepler ≤ 0.7

const SYSTEM = {
  container_id: 'system_processes',
  container_name: 'system_processes',
  container_namespace: 'system',
  pod_name: 'system_processes',
};

function legacyNodeFamily(
  component: string,
  source: string,
  rows: (n: KeplerNodeView) => readonly Row[],
): Family {
  return {
    name: `kepler_node_${component}_joules_total`,
    help: `Aggregated value in ${component} value from ${source === '' ? 'kepler' : source}`,
    type: 'counter',
    rows,
  };
}

const node = (n: KeplerNodeView, mode: string, source: string, pkg = '0'): Record<string, string> => ({
  instance: n.power.node,
  mode,
  package: pkg,
  source,
});

function legacyContainerRows(
  n: KeplerNodeView,
  pick: (p: PodPower, e: NonNullable<ReturnType<typeof podsOf>[number]['e']>) => number,
  source: string,
  only: (p: PodPower) => boolean = () => true,
): Row[] {
  return podsOf(n)
    .filter(({ p }) => only(p))
    .map(({ p, e }) => [
      {
        container_id: p.containerId,
        container_name: p.container,
        container_namespace: p.namespace,
        mode: 'dynamic',
        pod_name: p.pod,
        source,
      },
      pick(p, e!),
    ]);
}

const V07: readonly Family[] = [
  legacyNodeFamily('core', 'rapl-sysfs', (n) => [
    [node(n, 'dynamic', 'rapl-sysfs'), n.energy.cpuCoreDynamicJoules],
    [node(n, 'idle', 'rapl-sysfs'), n.energy.cpuCoreIdleJoules],
  ]),
  legacyNodeFamily('dram', 'rapl-sysfs', (n) => [
    [node(n, 'dynamic', 'rapl-sysfs'), n.energy.dramDynamicJoules],
    [node(n, 'idle', 'rapl-sysfs'), n.energy.dramIdleJoules],
  ]),
  legacyNodeFamily('gpu', 'nvml', (n) =>
    n.gpus.map((g) => [node(n, 'dynamic', 'nvml', String(g.index)), n.energy.gpuJoules.get(g.uuid) ?? 0]),
  ),
  legacyNodeFamily('other', '', (n) => [[node(n, 'dynamic', ''), n.energy.otherJoules]]),
  legacyNodeFamily('package', 'rapl-sysfs', (n) => [
    [node(n, 'dynamic', 'rapl-sysfs'), n.energy.cpuPackageDynamicJoules],
    [node(n, 'idle', 'rapl-sysfs'), n.energy.cpuPackageIdleJoules],
  ]),
  legacyNodeFamily('platform', 'acpi', (n) => [[node(n, 'dynamic', 'acpi'), n.energy.platformJoules]]),
  {
    name: 'kepler_container_core_joules_total',
    help: 'Aggregated value in core value from rapl-sysfs',
    type: 'counter',
    rows: (n) => [
      ...legacyContainerRows(n, (_, e) => e.cpuCoreJoules, 'rapl-sysfs'),
      [{ ...SYSTEM, mode: 'idle', source: 'rapl-sysfs' }, n.energy.cpuCoreIdleJoules],
    ],
  },
  {
    name: 'kepler_container_dram_joules_total',
    help: 'Aggregated value in dram value from rapl-sysfs',
    type: 'counter',
    rows: (n) => [
      ...legacyContainerRows(n, (_, e) => e.dramJoules, 'rapl-sysfs'),
      [{ ...SYSTEM, mode: 'idle', source: 'rapl-sysfs' }, n.energy.dramIdleJoules],
    ],
  },
  {
    name: 'kepler_container_gpu_joules_total',
    help: 'Aggregated value in gpu value from nvml',
    type: 'counter',
    // Like ≥0.10, GPU energy is booked only to containers that use a GPU.
    rows: (n) =>
      legacyContainerRows(
        n,
        (_, e) => e.gpuJoules,
        'nvml',
        (p) => p.gpuWatts > 0,
      ),
  },
  {
    name: 'kepler_container_other_joules_total',
    help: 'Aggregated value in other value from kepler',
    type: 'counter',
    rows: (n) => [[{ ...SYSTEM, mode: 'dynamic', source: '' }, n.energy.otherJoules]],
  },
  {
    name: 'kepler_container_package_joules_total',
    help: 'Aggregated value in package value from rapl-sysfs',
    type: 'counter',
    rows: (n) => [
      ...legacyContainerRows(n, (_, e) => e.cpuPackageJoules, 'rapl-sysfs'),
      [{ ...SYSTEM, mode: 'idle', source: 'rapl-sysfs' }, n.energy.cpuPackageIdleJoules],
    ],
  },
  {
    name: 'kepler_node_info',
    help: 'Labeled node information',
    type: 'gauge',
    once: true,
    rows: () => [
      [
        {
          components_power_source: 'rapl-sysfs',
          cpu_architecture: 'Sapphire Rapids',
          platform_power_source: 'acpi',
          source: 'os',
        },
        1,
      ],
    ],
  },
];

// client_golang's registry gathers families sorted by name.
const byName = (a: Family, b: Family): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const V010_SORTED = [...V010].sort(byName);
const V07_SORTED = [...V07].sort(byName);

export function renderKepler(nodes: readonly KeplerNodeView[], version: KeplerVersion = 'v0.10'): string {
  const lines: string[] = [];
  for (const family of version === 'v0.7' ? V07_SORTED : V010_SORTED) {
    const rows = family.once
      ? nodes.slice(0, 1).flatMap((n) => family.rows(n))
      : nodes.flatMap((n) => family.rows(n));
    if (rows.length === 0) continue;
    lines.push(familyHeader(family.name, family.help, family.type));
    for (const [labels, value] of rows)
      lines.push(`${family.name}${sortedLabelSet(labels, escapeLabelValue)} ${formatGoFloat(value)}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
