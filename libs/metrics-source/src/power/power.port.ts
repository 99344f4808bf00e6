import type { PartialResult } from '@kcloud/common';
import type { WithInvalidReadings } from '../quality/reading-quality';
import type { InfraFilter } from '../shared/infra-filter';

/**
 * Node and workload power: Kepler (node, pod and container power), kube-state-metrics (nodes, pods, GPU requests),
 * the node's GPU and NPU board power and the BMC's DCMI server input power as node components.
 * Watts from Kepler's joule counters are `rate()`s over the configured window; everything is typed, never PromQL.
 */
export const POWER_SOURCE = Symbol('POWER_SOURCE');

/**
 * One node's power by component. Absent fields: no exporter reports them for this node, or a reading summed into the
 * component was refused by the reading-quality classifier (then listed in `invalidReadings`).
 */
export interface NodePowerSample extends WithInvalidReadings {
  readonly cluster: string;
  readonly node: string;
  /** RAPL package zone (Kepler `zone="package"`, ≤0.7 `package`). */
  readonly cpuPackageWatts?: number;
  /** RAPL core zone, part of the package. */
  readonly cpuCoreWatts?: number;
  readonly dramWatts?: number;
  /** Kepler's GPU power, else the node's GPUs' board power from dcgm-exporter (each physical GPU once). */
  readonly gpuWatts?: number;
  /** Board power of the node's NPUs (FuriosaAI, Rebellions exporters). */
  readonly npuWatts?: number;
  /** Kepler ≤0.7's `other` component (platform − package − dram − gpu). */
  readonly otherWatts?: number;
  /** Whole-server power Kepler reads from the platform (Redfish `kepler_platform_watts`, ≤0.7 `platform`). */
  readonly platformWatts?: number;
  /** Server input power from the BMC (ipmi_dcmi_power_consumption_watts). */
  readonly serverInputWatts?: number;
  /** kepler_node_cpu_usage_ratio × 100. */
  readonly cpuUtilizationPercent?: number;
  /** Kepler's package + DRAM + GPU joule counters (energy since Kepler started counting). */
  readonly energyJoules?: number;
  readonly observedAt: Date;
}

/** A pod: placement and GPU requests from kube-state-metrics, power and energy from Kepler. */
export interface PodPowerSample extends WithInvalidReadings {
  readonly cluster: string;
  readonly namespace: string;
  readonly pod: string;
  readonly node?: string;
  readonly uid?: string;
  readonly phase?: string;
  /** Whole GPUs requested (`nvidia.com/gpu`), summed over the pod's containers. */
  readonly gpuRequests?: number;
  readonly cpuWatts?: number;
  readonly dramWatts?: number;
  readonly gpuWatts?: number;
  /** CPU package + DRAM + GPU joule counters. */
  readonly energyJoules?: number;
  readonly observedAt: Date;
}

export interface ContainerPowerSample extends PodPowerSample {
  readonly container: string;
  readonly containerId?: string;
}

/** Extended-resource counts with kube-state-metrics' sanitised names (`nvidia_com_gpu`, `furiosa_ai_rngd`). */
export interface ResourceCount {
  readonly resource: string;
  readonly count: number;
}

export interface KubeNodeSample {
  readonly cluster: string;
  readonly node: string;
  readonly internalIp?: string;
  readonly kubeletVersion?: string;
  readonly capacity: readonly ResourceCount[];
  readonly allocatable: readonly ResourceCount[];
}

export interface PowerRangeWindow {
  readonly from: Date;
  readonly to: Date;
  readonly stepSeconds: number;
}

export interface TimedValue {
  readonly timestampMs: number;
  readonly value: number;
}

/**
 * Per node, each component's power over time (same meaning as NodePowerSample's fields). A step whose reading was
 * refused has no point; `invalidReadings` names the component and the reason.
 */
export interface NodePowerSeries extends WithInvalidReadings {
  readonly cluster: string;
  readonly node: string;
  readonly components: Readonly<Partial<Record<NodePowerComponent, readonly TimedValue[]>>>;
}

export type NodePowerComponent =
  | 'cpuPackageWatts'
  | 'dramWatts'
  | 'gpuWatts'
  | 'npuWatts'
  | 'otherWatts'
  | 'platformWatts'
  | 'serverInputWatts';

export interface PodPowerSeries extends WithInvalidReadings {
  readonly cluster: string;
  readonly namespace: string;
  readonly pod: string;
  readonly node?: string;
  /** CPU + DRAM + GPU watts over time. */
  readonly points: readonly TimedValue[];
}

/** Energy over a window in joules, per node component (same keys as NodePowerSeries). */
export interface NodeEnergySample {
  readonly cluster: string;
  readonly node: string;
  readonly joules: Readonly<Partial<Record<NodePowerComponent, number>>>;
}

export interface PodEnergySample {
  readonly cluster: string;
  readonly namespace: string;
  readonly pod: string;
  readonly node?: string;
  readonly joules: number;
}

export interface PowerSource {
  nodePower(filter: InfraFilter): Promise<PartialResult<NodePowerSample>>;
  podPower(filter: InfraFilter): Promise<PartialResult<PodPowerSample>>;
  containerPower(filter: InfraFilter): Promise<PartialResult<ContainerPowerSample>>;
  kubeNodes(filter: InfraFilter): Promise<PartialResult<KubeNodeSample>>;
  nodePowerRange(filter: InfraFilter, window: PowerRangeWindow): Promise<PartialResult<NodePowerSeries>>;
  podPowerRange(filter: InfraFilter, window: PowerRangeWindow): Promise<PartialResult<PodPowerSeries>>;
  /** Energy used between `from` and `to`: Kepler counter increases, gauges integrated over the window. */
  nodeEnergy(filter: InfraFilter, from: Date, to: Date): Promise<PartialResult<NodeEnergySample>>;
  podEnergy(filter: InfraFilter, from: Date, to: Date): Promise<PartialResult<PodEnergySample>>;
}
