import type { PartialResult } from '@kcloud/common';
import type { DeviceFilter } from '../shared/device-filter';
import type { GpuSample } from './gpu-sample';

/** Current GPU samples: dcgm-exporter (or all-smi / nvidia_gpu_exporter) values per GPU and MIG instance. */
export const GPU_SNAPSHOT_SOURCE = Symbol('GPU_SNAPSHOT_SOURCE');

export interface GpuSnapshotSource {
  /** The newest value per series within the lookback, filtered at the source. */
  gpuSamples(filter: DeviceFilter): Promise<PartialResult<GpuSample>>;
}
