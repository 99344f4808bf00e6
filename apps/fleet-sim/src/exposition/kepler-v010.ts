import { type Family, type KeplerNodeView, podsOf, type PodPower, type Row } from './kepler-family';

// --- Kepler ≥ 0.10 (the rewritten exporter; GPU families of ≥ 0.11.4, the experimental Redfish platform watts)

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

export const V010: readonly Family[] = [
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
