import type { ClusterState } from './build';
import { hashString, noise } from './hash';
import { nodeIp, objectUid, podCidr } from './identity';
import { findNpuModel } from './npu-models';
import type { NpuModelSpec, NpuVendor } from './npu-models';
import { sampleWorkload } from './patterns';
import type { Scenario } from './scenario';
import { completeTenant } from './tenants';
import type { SimTenant, WorkloadPattern } from './types';

/**
 * NPU cards (FuriosaAI RNGD/Warboy, Rebellions ATOM) as their exporters report them. Like GPUs, every value is a pure
 * function of (seed, card, time bucket) shaped by the card's workload pattern; the only state is the pattern and tenant.
 */
export interface SimNpu {
  readonly cluster: string;
  readonly node: string;
  readonly uuid: string;
  readonly index: number;
  /** Exporter device name: `npu0` (Furiosa), `rbln0` (Rebellions). */
  readonly device: string;
  readonly vendor: NpuVendor;
  readonly model: string;
  readonly pciBusId: string;
  readonly driverVersion: string;
  readonly firmwareVersion: string;
  readonly namespace?: string;
  readonly pod?: string;
  readonly container?: string;
  readonly pattern: WorkloadPattern;
  readonly coreCount: number;
  /** Per processing element (Furiosa's furiosa_npu_core_utilization); empty for Rebellions, which reports the card. */
  readonly coreUtilizationPercent: readonly number[];
  /** The card's utilisation: the mean over cores for Furiosa (as a dashboard would compute it), reported for RBLN. */
  readonly utilizationPercent: number;
  /** Only Rebellions reports device memory (RBLN_DEVICE_STATUS:DRAM_*); furiosa-metrics-exporter does not. */
  readonly memoryUsedMiB?: number;
  readonly memoryTotalMiB?: number;
  readonly powerWatts: number;
  /** SoC peak (Furiosa `label="peak"`) or the card temperature (RBLN). */
  readonly temperatureCelsius: number;
  /** Furiosa's board sensor (`label="ambient"`); RBLN has none. */
  readonly ambientTemperatureCelsius?: number;
  readonly coreFrequencyMHz: number;
  readonly healthy: boolean;
}

/** Internal state of one card. */
export interface NpuState {
  readonly cluster: string;
  readonly node: string;
  readonly index: number;
  readonly uuid: string;
  readonly pciBusId: string;
  readonly model: NpuModelSpec;
  readonly key: number;
  pattern: WorkloadPattern;
  tenant: SimTenant | undefined;
}

/** A node's cards; `gpuNode` tells whether the node also carries GPUs (then node facts come from the GPU node). */
export interface NpuNodeState {
  readonly cluster: string;
  readonly clusterIndex: number;
  readonly name: string;
  readonly nodeIndex: number;
  readonly gpuNode: boolean;
  readonly model: NpuModelSpec;
  readonly npus: readonly NpuState[];
  readonly internalIp: string;
  readonly systemUuid: string;
  readonly podCidr: string;
}

/** Builds the (validated) scenario's NPU nodes; NPU-only nodes are numbered after the cluster's GPU nodes. */
export function buildNpuNodes(scenario: Scenario, clusters: readonly ClusterState[]): NpuNodeState[] {
  const seed = String(scenario.seed);
  return scenario.clusters.flatMap((c, ci) => {
    const gpuNodes = clusters[ci]?.nodes ?? [];
    let extra = gpuNodes.length;
    return (c.npuNodes ?? []).map((n) => {
      const model = findNpuModel(n.npuModel);
      if (!model) throw new Error(`unknown NPU model ${n.npuModel}`); // validateAcceleratorScenario rejects this first
      const shared = gpuNodes.find((g) => g.name === n.name);
      const nodeIndex = shared ? shared.index : extra++;
      return {
        cluster: c.name,
        clusterIndex: ci,
        name: n.name,
        nodeIndex,
        gpuNode: shared !== undefined,
        model,
        npus: n.npus.map((npu, i): NpuState => {
          const where = `${seed}|${c.name}|${n.name}|npu${i}`;
          return {
            cluster: c.name,
            node: n.name,
            index: i,
            uuid: npuUuid(model.vendor, seed, c.name, n.name, i),
            pciBusId: `0000:${NPU_BUSES[i % NPU_BUSES.length]}:00.0`,
            model,
            key: hashString(`npu|${where}`),
            pattern: npu.pattern,
            tenant: completeTenant(npu.pattern, npu, where),
          };
        }),
        internalIp: nodeIp(ci, nodeIndex),
        systemUuid: objectUid(seed, 'node', c.name, n.name),
        podCidr: podCidr(ci, nodeIndex),
      };
    });
  });
}

/** PCI buses of an 8-card NPU server (Furiosa prints `0000:c7:00.0`, lower-case). */
const NPU_BUSES = ['17', '2a', '3d', '63', '99', 'ab', 'c7', 'e3'] as const;

/** Furiosa prints upper-case UUIDs without prefix; the RBLN daemon lower-case ones. */
function npuUuid(vendor: NpuVendor, seed: string, cluster: string, node: string, index: number): string {
  const uuid = objectUid(seed, 'npu', cluster, node, String(index));
  return vendor === 'furiosa' ? uuid.toUpperCase() : uuid;
}

/** Device names: furiosa-metrics-exporter `npu0`, the RBLN daemon `rbln0`, a TPU VM's `/dev/accel0`. */
const DEVICE_PREFIX: Readonly<Record<NpuVendor, string>> = {
  furiosa: 'npu',
  rebellions: 'rbln',
  google: 'accel',
};

const CH_CORE = 40;
const CH_TEMP = 31;
const CH_AMBIENT = 32;

const round = (value: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

/** The card's readings in `bucket`: utilisation, power and memory from its pattern, temperatures from its power. */
export function sampleNpu(npu: NpuState, bucket: number): SimNpu {
  const m = npu.model;
  const w = sampleWorkload(npu.pattern, npu.key, bucket);
  const furiosa = m.vendor === 'furiosa';
  // Cores of one card run the same graph, so they sit near the card's level with a little per-core spread.
  const cores = furiosa
    ? Array.from({ length: m.cores }, (_, c) =>
        w.utilPercent <= 0
          ? 0
          : round(
              Math.min(100, Math.max(0, w.utilPercent + 6 * (noise(npu.key, bucket, CH_CORE + c) - 0.5))),
              2,
            ),
      )
    : [];
  const utilizationPercent = furiosa
    ? cores.reduce((sum, c) => sum + c, 0) / cores.length
    : round(w.utilPercent, 1);
  const memoryUsedMiB = furiosa ? undefined : Math.round(m.memoryTotalMiB * w.memoryFraction);
  return {
    cluster: npu.cluster,
    node: npu.node,
    uuid: npu.uuid,
    index: npu.index,
    device: `${DEVICE_PREFIX[m.vendor]}${npu.index}`,
    vendor: m.vendor,
    model: m.name,
    pciBusId: npu.pciBusId,
    driverVersion: m.driverVersion,
    firmwareVersion: m.firmwareVersion,
    namespace: npu.tenant?.namespace,
    pod: npu.tenant?.pod,
    container: npu.tenant?.container,
    pattern: npu.pattern,
    coreCount: m.cores,
    coreUtilizationPercent: cores,
    utilizationPercent,
    memoryUsedMiB,
    memoryTotalMiB: furiosa ? undefined : m.memoryTotalMiB,
    powerWatts: round(m.tdpWatts * w.powerFraction, 3),
    temperatureCelsius: round(30 + 48 * w.powerFraction + 3 * (noise(npu.key, bucket, CH_TEMP) - 0.5), 1),
    ambientTemperatureCelsius: furiosa
      ? round(24 + 10 * w.powerFraction + 2 * (noise(npu.key, bucket, CH_AMBIENT) - 0.5), 1)
      : undefined,
    coreFrequencyMHz: m.coreClockMHz,
    healthy: true,
  };
}
