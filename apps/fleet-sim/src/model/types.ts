/**
 * The fleet simulator's public model types. The SimulatedSource adapter and the e2e tests read the model
 * through these (alias `@kcloud/fleet-sim`); the HTTP server renders them as exporter exposition text.
 */

/** Workload patterns a device can run; each is a deterministic function of (seed, device, time bucket). */
export type WorkloadPattern =
  | 'training' // steady high util, high memory, high power
  | 'inference' // bursty: alternating busy/quiet buckets
  | 'notebook' // idle notebook holding memory: ~0 util, memory held, low power
  | 'unallocated' // no pod, idle, little memory
  | 'dataloader-stall'; // allocated, util collapses periodically while waiting on input

export interface SimGpu {
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
}

export interface SimPod {
  readonly cluster: string;
  readonly node: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly container: string;
  readonly gpuRequests: number;
  readonly phase: 'Running' | 'Pending' | 'Succeeded';
}
