export * from './accelerators.module';
export * from './accelerators.service';
export * from './models/gpu.model';
export * from './gpu-view';
export * from './npu.service';
export * from './models/npu.model';
export * from './models/accelerator.model';
export * from './npu-view';
export * from './models/data-quality.model';
export * from './data-quality.service';
export * from './models/gpu-health.model';
export { GpuHealthStatus, gpuHealth, type GpuHealthView } from './health/gpu-health';
export { xidEntry, type XidEntry } from './health/xid-catalogue';
export { HistoryLoaders, type HistoryRequest } from './history/history-loaders';
export {
  historyRange,
  type HistoryRange,
  type HistoryReadings,
  requestedFields,
} from './history/history-range';
