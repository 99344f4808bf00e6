import type { PartialResult } from '@kcloud/common';
import type { DeviceFilter } from '../gpu-snapshot/gpu-sample';
import type { ScrapeTarget } from '../quality/device-quality.port';
import type { WithInvalidReadings } from '../quality/reading-quality';

export type NpuVendor = 'furiosa' | 'rebellions';

/**
 * One NPU card (FuriosaAI RNGD/Warboy via furiosa-metrics-exporter, Rebellions ATOM via rbln-metrics-exporter). A value
 * is absent when the vendor's exporter does not report it: Furiosa has no device memory, Rebellions no board sensor;
 * or when the reading-quality classifier refused it (then it is listed in `invalidReadings`).
 */
export interface NpuSample extends WithInvalidReadings {
  readonly cluster: string;
  readonly node: string;
  /** As the exporter prints it (Furiosa upper case, Rebellions lower case), no prefix. */
  readonly uuid: string;
  readonly vendor: NpuVendor;
  /** Furiosa's arch in its product spelling (`RNGD`, `Warboy`), Rebellions' card name (`RBLN-CA12`). */
  readonly model: string;
  /** Exporter device name: `npu0`, `rbln0`. */
  readonly device: string;
  readonly index: number;
  readonly pciBusId?: string;
  readonly driverVersion?: string;
  readonly firmwareVersion?: string;
  readonly namespace?: string;
  readonly pod?: string;
  readonly container?: string;
  /** Card utilisation, 0–100: Rebellions reports it, for Furiosa it is the mean over the card's cores. */
  readonly utilizationPercent?: number;
  readonly coreCount?: number;
  readonly memoryUsedMiB?: number;
  readonly memoryTotalMiB?: number;
  readonly powerWatts?: number;
  /** Furiosa: SoC peak sensor; Rebellions: the card temperature. */
  readonly temperatureCelsius?: number;
  /** Furiosa's board (ambient) sensor. */
  readonly ambientTemperatureCelsius?: number;
  /** furiosa_npu_alive = 1, RBLN_DEVICE_STATUS:HEALTH = 0. */
  readonly healthy?: boolean;
  readonly observedAt: Date;
  /** The Prometheus target the series came from (absent from the simulated source). */
  readonly scrapeTarget?: ScrapeTarget;
}

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
export interface AcceleratorSource {
  npuSamples(filter: DeviceFilter): Promise<PartialResult<NpuSample>>;
  /** Only `clusters` and `uuids` (GPU UUIDs) apply at the source: node and tenant live on the GPU, joined later. */
  gpuProcesses(filter: DeviceFilter): Promise<PartialResult<GpuProcessSample>>;
}
