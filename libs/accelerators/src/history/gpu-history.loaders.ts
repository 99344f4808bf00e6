import { Injectable } from '@nestjs/common';
import { asksScores } from './gpu-score-history';
import { type GpuHistoryField, GpuHistoryService } from './gpu-history.service';
import { HistoryLoaders, type HistoryRequest } from './history-loaders';

export interface HistoryRef extends HistoryRequest<GpuHistoryField> {
  readonly cluster: string;
  readonly uuid: string;
  /** gpuKey: the UUID, or UUID/migInstanceId. */
  readonly id: string;
}

/**
 * Per-request loader for `Gpu.history`: the GPUs of one request asking one range are one series read (plus one read
 * of the analyzer's scores when any of them asks for score or status).
 */
@Injectable()
export class GpuHistoryLoaders extends HistoryLoaders<HistoryRef, GpuHistoryField, number | string> {
  constructor(history: GpuHistoryService) {
    super('GPUs', (devices, range, scope) =>
      history.series(
        devices,
        range,
        scope,
        devices.some((d) => asksScores(d.fields)),
      ),
    );
  }
}
