import { Injectable } from '@nestjs/common';
import type { NpuHistoryField } from '../models/npu-history.model';
import { HistoryLoaders, type HistoryRequest } from './history-loaders';
import { type NpuHistoryDevice, NpuHistoryService } from './npu-history.service';

export type NpuHistoryRef = HistoryRequest<NpuHistoryField> & NpuHistoryDevice;

/** Per-request loader for `Npu.history`: the cards of one request asking one range are one series read. */
@Injectable()
export class NpuHistoryLoaders extends HistoryLoaders<NpuHistoryRef, NpuHistoryField> {
  constructor(history: NpuHistoryService) {
    super('NPUs', (devices, range, scope) => history.series(devices, range, scope));
  }
}
