import { Injectable } from '@nestjs/common';
import { GpuHistoryService } from './gpu-history.service';
import { HistoryLoaders, type HistoryRequest } from './history-loaders';
import type { HistoryField } from './history-range';

export interface HistoryRef extends HistoryRequest<HistoryField> {
  readonly cluster: string;
  readonly uuid: string;
  /** gpuKey: the UUID, or UUID/migInstanceId. */
  readonly id: string;
}

/** Per-request loader for `Gpu.history`: the GPUs of one request asking one range are one series read. */
@Injectable()
export class GpuHistoryLoaders extends HistoryLoaders<HistoryRef, HistoryField> {
  constructor(history: GpuHistoryService) {
    super('GPUs', (devices, range, scope) => history.series(devices, range, scope));
  }
}
