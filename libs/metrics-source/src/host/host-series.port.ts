import type { PartialResult } from '@kcloud/common';
import type { SeriesRange } from '../gpu-series/gpu-series.port';
import type { HostFilter } from './host.port';

/** Range reads of node_exporter's memory and CPU (node history). */
export const HOST_SERIES_SOURCE = Symbol('HOST_SERIES_SOURCE');

/** One node at one step: memory used share and the mean busy share of its cores, each absent when not reported. */
export interface HostSeriesPoint {
  readonly cluster: string;
  readonly node: string;
  readonly timestampMs: number;
  /** (MemTotal − MemAvailable) / MemTotal, 0–100. */
  readonly memoryUtilizationPercent?: number;
  /** Mean over the node's logical CPUs of 1 − rate(idle) over the rate window, 0–100. */
  readonly cpuUtilizationPercent?: number;
}

export interface HostSeriesSource {
  nodeHostSeries(filter: HostFilter, range: SeriesRange): Promise<PartialResult<HostSeriesPoint>>;
}
