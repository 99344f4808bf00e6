import { type Family, type KeplerNodeView, podsOf, type PodPower, type Row } from './kepler-family';

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

export const V07: readonly Family[] = [
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
