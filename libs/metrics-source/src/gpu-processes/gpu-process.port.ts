import type { PartialResult } from '@kcloud/common';
import type { DeviceFilter } from '../shared/device-filter';

/** GPU processes, where the cluster's exporter reports them (all-smi, nvidia_gpu_exporter). */
export const GPU_PROCESS_SOURCE = Symbol('GPU_PROCESS_SOURCE');

/**
 * A process on a GPU, where the cluster's exporter reports processes (all-smi with `--processes`, nvidia_gpu_exporter's
 * compute apps). Node, GPU index and tenant come from the GPU it runs on; the exporters carry only the GPU UUID.
 */
export interface GpuProcessSample {
  readonly cluster: string;
  /** NVML UUID with the `GPU-` prefix (MIG processes carry their parent's). */
  readonly gpuUuid: string;
  readonly pid: number;
  readonly name: string;
  /** all-smi ≥ v0.21 only. */
  readonly user?: string;
  readonly command?: string;
  readonly gpuMemoryUsedMiB?: number;
  /** all-smi ≥ v0.21 only (all_smi_process_cpu_percent). */
  readonly cpuPercent?: number;
  readonly observedAt: Date;
}

/** NPU cards and GPU processes; filters as for GPUs (node and tenant lists applied to the card / the process's GPU). */

export interface GpuProcessSource {
  /** Only `clusters` and `uuids` (GPU UUIDs) apply at the source: node and tenant live on the GPU, joined later. */
  gpuProcesses(filter: DeviceFilter): Promise<PartialResult<GpuProcessSample>>;
}
