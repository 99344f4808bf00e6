import type { PartialResult } from '@kcloud/common';
import type { SeriesRange } from '../gpu-series/gpu-series.port';
import {
  type HostFilter,
  type HostSample,
  memoryUtilizationPercentOf,
  rootFilesystemUsedPercentOf,
} from './host.port';

/** Range reads of node_exporter (node history): memory, mean CPU, load, root filesystem, network. */
export const HOST_SERIES_SOURCE = Symbol('HOST_SERIES_SOURCE');

/**
 * One node at one step: the instant reading's gauges and rates (not per core: the cores' mean busy share), and the
 * shares derived from them, each absent when not reported.
 */
export interface HostSeriesPoint extends Omit<HostSample, 'cpuCores'> {
  readonly timestampMs: number;
  /** (MemTotal − MemAvailable) / MemTotal, 0–100. */
  readonly memoryUtilizationPercent?: number;
  /** Mean over the node's logical CPUs of 1 − rate(idle) over the rate window, 0–100. */
  readonly cpuUtilizationPercent?: number;
  /** (size − avail) / size of the root filesystem, 0–100. */
  readonly rootFilesystemUsedPercent?: number;
}

export interface HostSeriesSource {
  nodeHostSeries(filter: HostFilter, range: SeriesRange): Promise<PartialResult<HostSeriesPoint>>;
}

/** A step of node history from a host reading without its cores: the reading, its derived shares, the mean CPU. */
export function hostSeriesPointOf(
  host: Omit<HostSample, 'cpuCores'>,
  timestampMs: number,
  cpuUtilizationPercent: number | undefined,
): HostSeriesPoint {
  return {
    ...host,
    timestampMs,
    memoryUtilizationPercent: memoryUtilizationPercentOf(host),
    cpuUtilizationPercent,
    rootFilesystemUsedPercent: rootFilesystemUsedPercentOf(host),
  };
}
