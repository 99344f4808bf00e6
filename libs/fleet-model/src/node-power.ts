import { findMigProfile, MIG_SLICES_PER_GPU } from './gpu-models';
import { hex128, noise } from './hash';
import type { SimGpu, SimPod } from './types';

/**
 * The host side of a node's power, as Kepler (RAPL zones, GPU, platform) and the BMC (DCMI) would measure it. Every
 * value is a pure function of (node key, time bucket, the node's GPU rows and pods), so it is as deterministic as
 * the GPU values it derives from: host CPU and DRAM load follow the GPUs they feed.
 *
 * Zones overlap as in RAPL: `core` is part of `package`. The server input power (what DCMI reports) is
 * package + dram + GPUs + NPUs + other, where `other` (fans, NICs, disks, PSU loss) is never attributed to a
 * workload — the "unattributed" power the PUE report shows separately.
 */
export interface SimPodPower {
  readonly namespace: string;
  readonly pod: string;
  readonly uid: string;
  readonly container: string;
  /** Kepler's container_id (64 hex digits, as containerd prints it). */
  readonly containerId: string;
  readonly cpuPackageWatts: number;
  readonly cpuCoreWatts: number;
  readonly dramWatts: number;
  readonly gpuWatts: number;
}

export interface SimNodePower {
  readonly cluster: string;
  readonly node: string;
  readonly cpuPackageWatts: number;
  readonly cpuCoreWatts: number;
  readonly dramWatts: number;
  /** Board power of the node's GPUs, each physical GPU once (MIG rows repeat their board's power). */
  readonly gpuWatts: number;
  /** Board power per physical GPU, by UUID. */
  readonly gpuBoardWatts: ReadonlyMap<string, number>;
  readonly npuWatts: number;
  readonly otherWatts: number;
  /** What the BMC reports (ipmi_dcmi_power_consumption_watts): whole watts, the sum of every part above. */
  readonly serverInputWatts: number;
  /** The idle part of package and DRAM power (Kepler 0.7 reports it under mode="idle"). */
  readonly cpuPackageIdleWatts: number;
  readonly cpuCoreIdleWatts: number;
  readonly dramIdleWatts: number;
  /** kepler_node_cpu_usage_ratio, 0–1. */
  readonly cpuUsageRatio: number;
  readonly pods: readonly SimPodPower[];
}

export interface NodePowerInput {
  readonly cluster: string;
  readonly node: string;
  /** Stable per node (seed, cluster, node name). */
  readonly nodeKey: number;
  readonly bucket: number;
  readonly gpus: readonly SimGpu[];
  readonly pods: readonly SimPod[];
  /** The node's NPU cards: their board power counts for the server, their host load for the pods holding them. */
  readonly npus?: readonly NodeNpuInput[];
}

export interface NodeNpuInput {
  readonly namespace?: string;
  readonly pod?: string;
  readonly powerWatts: number;
  readonly utilizationPercent: number;
}

/** Core power as a share of package power (the rest is uncore: caches, memory controller, interconnect). */
export const CORE_SHARE = 0.72;
const CH_CPU_IDLE = 101;
const CH_DRAM_IDLE = 102;
const CH_OTHER = 103;
const CH_JITTER = 104;
/** Host CPU watts a busy GPU costs (data loading, kernel launches), and the floor an allocated one costs. */
const CPU_PER_BUSY_GPU = 16;
const CPU_PER_ALLOCATED_GPU = 4;
const DRAM_PER_BUSY_GPU = 5;
const DRAM_PER_ALLOCATED_GPU = 1.5;
/** The host load at which the CPU counts as fully used (kepler_node_cpu_usage_ratio = 1). */
const CPU_LOAD_AT_FULL_USE = 300;

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

export function nodePowerBreakdown(input: NodePowerInput): SimNodePower {
  const { nodeKey, bucket } = input;
  const cpuIdle = 60 + 40 * noise(nodeKey, 0, CH_CPU_IDLE);
  const dramIdle = 12 + 8 * noise(nodeKey, 0, CH_DRAM_IDLE);
  // The host's own work fluctuates a little bucket to bucket, independent of the GPUs.
  const jitter = 0.97 + 0.06 * noise(nodeKey, bucket, CH_JITTER);

  const gpuBoardWatts = new Map<string, number>();
  const loads = new Map<string, { cpu: number; dram: number; gpu: number }>();
  for (const row of input.gpus) {
    gpuBoardWatts.set(row.uuid, row.powerWatts);
    if (!row.namespace || !row.pod) continue;
    const share = shareOf(row);
    const activity =
      row.utilizationPercent !== undefined ? row.utilizationPercent / 100 : row.grEngineActiveRatio;
    const key = `${row.namespace}/${row.pod}`;
    const load = loads.get(key) ?? { cpu: 0, dram: 0, gpu: 0 };
    load.cpu += share * (CPU_PER_ALLOCATED_GPU + CPU_PER_BUSY_GPU * activity) * jitter;
    load.dram += share * (DRAM_PER_ALLOCATED_GPU + DRAM_PER_BUSY_GPU * row.dramActiveRatio) * jitter;
    load.gpu += share * row.powerWatts;
    loads.set(key, load);
  }

  for (const npu of input.npus ?? []) {
    if (!npu.namespace || !npu.pod) continue;
    const key = `${npu.namespace}/${npu.pod}`;
    const load = loads.get(key) ?? { cpu: 0, dram: 0, gpu: 0 };
    // An NPU card costs the host about what a GPU does; Kepler attributes no accelerator power to it.
    load.cpu += (CPU_PER_ALLOCATED_GPU + (CPU_PER_BUSY_GPU * npu.utilizationPercent) / 100) * jitter;
    load.dram += (DRAM_PER_ALLOCATED_GPU + (DRAM_PER_BUSY_GPU * npu.utilizationPercent) / 200) * jitter;
    loads.set(key, load);
  }

  const pods = input.pods.map((p): SimPodPower => {
    const load = loads.get(`${p.namespace}/${p.name}`) ?? { cpu: 0, dram: 0, gpu: 0 };
    const cpuPackageWatts = round3(load.cpu);
    return {
      namespace: p.namespace,
      pod: p.name,
      uid: p.uid,
      container: p.container,
      containerId: containerIdOf(p.uid, p.container),
      cpuPackageWatts,
      cpuCoreWatts: round3(cpuPackageWatts * CORE_SHARE),
      dramWatts: round3(load.dram),
      gpuWatts: round3(load.gpu),
    };
  });

  const cpuPackageIdleWatts = round3(cpuIdle);
  const dramIdleWatts = round3(dramIdle);
  const cpuPackageWatts = round3(cpuIdle + pods.reduce((s, p) => s + p.cpuPackageWatts, 0));
  const dramWatts = round3(dramIdle + pods.reduce((s, p) => s + p.dramWatts, 0));
  const gpuWatts = round3([...gpuBoardWatts.values()].reduce((s, w) => s + w, 0));
  const npuWatts = round3((input.npus ?? []).reduce((sum, n) => sum + n.powerWatts, 0));
  const attributed = cpuPackageWatts + dramWatts + gpuWatts + npuWatts;
  // Fans, NICs, disks and PSU conversion loss: a per-node floor plus a share of what the node draws.
  const otherRaw = 45 + 25 * noise(nodeKey, 0, CH_OTHER) + 0.06 * attributed;
  const serverInputWatts = Math.round(attributed + otherRaw);
  return {
    cluster: input.cluster,
    node: input.node,
    cpuPackageWatts,
    cpuCoreWatts: round3(cpuPackageWatts * CORE_SHARE),
    dramWatts,
    gpuWatts,
    gpuBoardWatts,
    npuWatts,
    otherWatts: round3(serverInputWatts - attributed),
    serverInputWatts,
    cpuPackageIdleWatts,
    cpuCoreIdleWatts: round3(cpuPackageIdleWatts * CORE_SHARE),
    dramIdleWatts,
    cpuUsageRatio: Math.min(1, round3(0.02 + (cpuPackageWatts - cpuPackageIdleWatts) / CPU_LOAD_AT_FULL_USE)),
    pods,
  };
}

/** A whole GPU counts fully; a MIG instance by its share of the 7 compute slices. */
function shareOf(row: SimGpu): number {
  if (!row.migProfile) return 1;
  const slices = findMigProfile(row.migProfile)?.slices ?? 1;
  return slices / MIG_SLICES_PER_GPU;
}

/** A containerd-style 64-hex-digit id, stable per pod uid and container name. */
export function containerIdOf(podUid: string, container: string): string {
  return `${hex128(`ctr|${podUid}|${container}`)}${hex128(`ctr2|${podUid}|${container}`)}`;
}
