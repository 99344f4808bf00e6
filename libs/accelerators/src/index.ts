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
export { type HistoryFieldRequest, HistoryFieldResolver } from './history/history-field.resolver';
export {
  historyPoints,
  historyRange,
  MAX_POINTS_PER_REQUEST,
  pointsIn,
  type HistoryRange,
  type HistoryReadings,
  requestedFields,
} from './history/history-range';
export * from './models/gpu-history.model';
export * from './models/npu-history.model';
export { GPU_HISTORY_FIELDS, GpuHistoryService } from './history/gpu-history.service';
export { asksScores } from './history/gpu-score-history';
export { NpuHistoryService, npuHistoryKey } from './history/npu-history.service';
