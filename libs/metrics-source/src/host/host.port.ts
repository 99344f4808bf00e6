import type { PartialResult } from '@kcloud/common';

/**
 * The host side of a node as node_exporter reports it: system memory (meminfo collector) and per-core CPU busy
 * share (cpu collector, `1 − rate(idle)` per core over the rate window). A capability of its own: one port, its DI
 * token, a Prometheus adapter, a simulated adapter and a testing fake; a constant number of requests per cluster.
 */
export const HOST_SOURCE = Symbol('HOST_SOURCE');

export interface HostFilter {
  readonly clusters?: readonly string[];
  readonly nodes?: readonly string[];
}

export interface HostCpuCoreSample {
  /** node_exporter's `cpu` label: the logical CPU number. */
  readonly cpu: number;
  readonly utilizationPercent: number;
}

export interface HostSample {
  readonly cluster: string;
  /** The scrape's `instance` without its port (the node name under kube-prometheus' relabeling). */
  readonly node: string;
  readonly memoryTotalBytes?: number;
  readonly memoryAvailableBytes?: number;
  /** Ordered by `cpu`; empty when the cpu collector is off or not yet scraped twice. */
  readonly cpuCores: readonly HostCpuCoreSample[];
  /** node_load1 / node_load5 / node_load15 (loadavg collector). */
  readonly load1?: number;
  readonly load5?: number;
  readonly load15?: number;
  /** The filesystem mounted at `/` (not tmpfs/overlay): node_filesystem_size_bytes / node_filesystem_avail_bytes. */
  readonly rootFilesystemSizeBytes?: number;
  readonly rootFilesystemAvailableBytes?: number;
  /** rate() of node_network_{receive,transmit}_bytes_total summed over physical interfaces (not lo, veth*, cali*, …). */
  readonly networkReceiveBytesPerSecond?: number;
  readonly networkTransmitBytesPerSecond?: number;
}

export interface HostSource {
  nodeHosts(filter: HostFilter): Promise<PartialResult<HostSample>>;
}

/** (total − available) / total as a percent; undefined unless both are known and the total is positive. */
export function memoryUtilizationPercentOf(
  h: Pick<HostSample, 'memoryTotalBytes' | 'memoryAvailableBytes'>,
): number | undefined {
  const { memoryTotalBytes: total, memoryAvailableBytes: available } = h;
  if (total === undefined || available === undefined || !(total > 0) || available < 0 || available > total)
    return undefined;
  return (100 * (total - available)) / total;
}

/** (size − avail) / size of the root filesystem as a percent; undefined unless both are known and consistent. */
export function rootFilesystemUsedPercentOf(
  h: Pick<HostSample, 'rootFilesystemSizeBytes' | 'rootFilesystemAvailableBytes'>,
): number | undefined {
  const { rootFilesystemSizeBytes: size, rootFilesystemAvailableBytes: avail } = h;
  if (size === undefined || avail === undefined || !(size > 0) || avail < 0 || avail > size) return undefined;
  return (100 * (size - avail)) / size;
}
