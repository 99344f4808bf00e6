import type { PartialResult } from '@kcloud/common';
import type { DeviceFilter } from '../shared/device-filter';
import type { SeriesRange } from '../gpu-series/gpu-series.port';
import type { NpuSample } from './npu.port';

/** Range reads of the NPU exporters' series (device history). */
export const NPU_SERIES_SOURCE = Symbol('NPU_SERIES_SOURCE');

/** One NPU card at one step timestamp, read exactly as an instant read at that time would have read it. */
export interface NpuSeriesPoint extends NpuSample {
  readonly timestamp: Date;
}

export interface NpuSeriesSource {
  /**
   * Every card matching the filter at every step where its exporter had a sample. A filter's namespaces apply per
   * step: a card is in the answer only at the steps its pod belonged to them.
   */
  npuSeries(filter: DeviceFilter, range: SeriesRange): Promise<PartialResult<NpuSeriesPoint>>;
}
