import type { SimGpuHealth } from './gpu-faults';
/**
 * The fleet simulator's public model types. The simulated adapters and the e2e tests read the model
 * through these (alias `@kcloud/fleet-model`); the HTTP server renders them as exporter exposition text.
 */

/** Workload patterns a device can run; each is a deterministic function of (seed, device, time bucket). */
export type WorkloadPattern =
  | 'training' // steady high util, high memory, high power
  | 'inference' // bursty: alternating busy/quiet buckets
  | 'notebook' // idle notebook holding memory: ~0 util, memory held, low power
  | 'unallocated' // no pod, idle, little memory
  | 'dataloader-stall' // allocated, util collapses periodically while waiting on input
  | 'allocated-empty' // allocated to a pod that holds no framebuffer memory and runs nothing
  | 'prof-zero'; // training whose DCGM profiling fields (GR_ENGINE_ACTIVE, DRAM_ACTIVE, …) read 0

export interface SimGpu extends SimGpuHealth {
  readonly cluster: string;
  readonly node: string;
  readonly uuid: string;
  readonly index: number;
  readonly pciBusId: string;
  readonly model: string;
  readonly driverVersion: string;
  readonly migProfile?: string;
  readonly migInstanceId?: string;
  readonly namespace?: string;
  readonly pod?: string;
  readonly container?: string;
  readonly pattern: WorkloadPattern;
  // Values as dcgm-exporter would report them at the requested time.
  /** Absent for MIG instances (dcgm-exporter does not report GPU_UTIL / MEM_COPY_UTIL there). */
  readonly utilizationPercent?: number;
  readonly memoryCopyUtilizationPercent?: number;
  readonly memoryUsedMiB: number;
  readonly memoryFreeMiB: number;
  readonly memoryReservedMiB: number;
  /**
   * Board power. DCGM measures power per physical GPU, so every MIG instance row repeats its parent's power (and
   * energy, temperatures, clocks): sum power per UUID, never per row.
   */
  readonly powerWatts: number;
  readonly powerLimitWatts: number;
  readonly temperatureCelsius: number;
  readonly memoryTemperatureCelsius: number;
  readonly smClockMHz: number;
  readonly memClockMHz: number;
  /** DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION, mJ, monotonic over time. */
  readonly energyMillijoules: number;
  readonly grEngineActiveRatio: number;
  readonly dramActiveRatio: number;
  readonly tensorActiveRatio: number;
}

export interface SimNode {
  readonly cluster: string;
  readonly name: string;
  readonly gpuCount: number;
  readonly gpuModel: string;
  /** Node facts kube-state-metrics reports (kube_node_info). */
  readonly internalIp: string;
  readonly systemUuid: string;
  readonly podCidr: string;
  /**
   * Extended resources as the device plugin advertises them (`nvidia.com/gpu`, `nvidia.com/mig-1g.10gb`, ...).
   * Capacity keeps GPUs that disappeared; allocatable drops them, as the device plugin does for unhealthy devices.
   */
  readonly capacity: readonly SimResourceCount[];
  readonly allocatable: readonly SimResourceCount[];
  /** NPU cards on the node (see npu.ts); a node without GPUs has gpuCount 0 and gpuModel ''. */
  readonly npuCount?: number;
  readonly npuModel?: string;
}

/** A count of one Kubernetes extended resource, named as in the pod spec (`nvidia.com/gpu`). */
export interface SimResourceCount {
  readonly resource: string;
  readonly count: number;
}

/** One container's request for one extended resource. */
export interface SimContainerRequest {
  readonly container: string;
  readonly resource: string;
  readonly count: number;
}

/** Who holds a device: the pod attribution dcgm-exporter adds (`namespace`, `pod`, `container`). */
export interface SimTenant {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
}

export interface SimPod {
  readonly cluster: string;
  readonly node: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly container: string;
  /** Whole GPUs (`nvidia.com/gpu`) the pod holds; MIG slices appear only in `requests`. */
  readonly gpuRequests: number;
  readonly phase: 'Running' | 'Pending' | 'Succeeded';
  /** Every container's extended-resource requests (whole GPUs and MIG slices), for kube-state-metrics. */
  readonly requests: readonly SimContainerRequest[];
  readonly hostIp: string;
  readonly podIp: string;
  /** Controller that created the pod (kube_pod_info created_by_kind/created_by_name). */
  readonly ownerKind: string;
  readonly ownerName: string;
}
