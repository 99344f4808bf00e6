import { hashMix, hashString, toUnit } from './hash';

/**
 * What node_exporter reads on a simulated node (the host side: system memory and per-core CPU time). Values are pure
 * functions of (cluster, node, core): each core keeps one utilisation, so its `node_cpu_seconds_total` counters grow
 * linearly from the simulated boot and `rate()` over any window gives back exactly that utilisation.
 */
export const HOST_CPU_MODES = ['idle', 'iowait', 'system', 'user'] as const;
export type HostCpuMode = (typeof HOST_CPU_MODES)[number];

/** Cores per simulated node (two sockets of 16; node_exporter numbers them 0…n-1 without the socket). */
export const HOST_CPU_CORES = 32;
export const HOST_MEMORY_TOTAL_BYTES = 512 * 1024 ** 3;
/** Every simulated node booted at this instant; counters are seconds since then. */
export const HOST_BOOT_MS = Date.UTC(2025, 0, 1);

export interface SimCpuCore {
  readonly cpu: number;
  /** Busy share of the core (1 − idle), 0–1. */
  readonly utilizationRatio: number;
  /** node_cpu_seconds_total per mode at the requested time. */
  readonly secondsByMode: Readonly<Record<HostCpuMode, number>>;
}

export interface SimHost {
  readonly cluster: string;
  readonly node: string;
  readonly memoryTotalBytes: number;
  readonly memoryAvailableBytes: number;
  readonly cores: readonly SimCpuCore[];
}

/** How a busy core's time splits over the non-idle modes. */
const BUSY_SPLIT: Readonly<Record<Exclude<HostCpuMode, 'idle'>, number>> = { user: 0.7, system: 0.25, iowait: 0.05 };

export function simHost(cluster: string, node: string, atMs: number): SimHost {
  const key = hashString(`${cluster}/${node}/host`);
  const uptimeSeconds = Math.max(0, (atMs - HOST_BOOT_MS) / 1000);
  const cores = Array.from({ length: HOST_CPU_CORES }, (_, cpu): SimCpuCore => {
    // Two decimals, so a test's expected percent is exact.
    const utilizationRatio = Math.round((0.05 + 0.9 * toUnit(hashMix(key, cpu))) * 100) / 100;
    return {
      cpu,
      utilizationRatio,
      secondsByMode: {
        idle: uptimeSeconds * (1 - utilizationRatio),
        user: uptimeSeconds * utilizationRatio * BUSY_SPLIT.user,
        system: uptimeSeconds * utilizationRatio * BUSY_SPLIT.system,
        iowait: uptimeSeconds * utilizationRatio * BUSY_SPLIT.iowait,
      },
    };
  });
  // Whole MiB available, between 20 % and 80 % of the total.
  const usedShare = 0.2 + 0.6 * toUnit(hashMix(key, 1_000_003));
  const memoryAvailableBytes = Math.round((HOST_MEMORY_TOTAL_BYTES * (1 - usedShare)) / 1024 ** 2) * 1024 ** 2;
  return { cluster, node, memoryTotalBytes: HOST_MEMORY_TOTAL_BYTES, memoryAvailableBytes, cores };
}
