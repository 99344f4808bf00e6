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
  /** node_load1 / node_load5 / node_load15 (two decimals). */
  readonly load: { readonly load1: number; readonly load5: number; readonly load15: number };
  /** Every mount node_exporter's filesystem collector lists; only `/` on a real device is the root filesystem. */
  readonly filesystems: readonly SimFilesystem[];
  /** Every interface the netdev collector lists, counters at the requested time. */
  readonly network: readonly SimNetDevice[];
}

export interface SimFilesystem {
  readonly device: string;
  readonly fstype: string;
  readonly mountpoint: string;
  readonly sizeBytes: number;
  readonly availBytes: number;
}

export interface SimNetDevice {
  readonly device: string;
  /** Constant rates, so rate() of the counters gives them back. */
  readonly receiveBytesPerSecond: number;
  readonly transmitBytesPerSecond: number;
  readonly receiveBytesTotal: number;
  readonly transmitBytesTotal: number;
}

/** The physical interfaces of a simulated node; lo and CNI/container devices are listed too but are not the host's traffic. */
export const HOST_PHYSICAL_NET_DEVICES = ['eth0', 'eth1'] as const;
const VIRTUAL_NET_DEVICES = ['lo', 'veth1a2b3c', 'cali0f1e2d', 'flannel.1', 'docker0'] as const;
export const HOST_ROOT_FS_SIZE_BYTES = 960 * 1024 ** 3;

/** How a busy core's time splits over the non-idle modes. */
const BUSY_SPLIT: Readonly<Record<Exclude<HostCpuMode, 'idle'>, number>> = {
  user: 0.7,
  system: 0.25,
  iowait: 0.05,
};

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
  const memoryAvailableBytes =
    Math.round((HOST_MEMORY_TOTAL_BYTES * (1 - usedShare)) / 1024 ** 2) * 1024 ** 2;
  const unit = (salt: number): number => toUnit(hashMix(key, salt));
  const twoDecimals = (x: number): number => Math.round(x * 100) / 100;
  const load = {
    load1: twoDecimals(32 * unit(2_000_003)),
    load5: twoDecimals(32 * unit(2_000_005)),
    load15: twoDecimals(32 * unit(2_000_015)),
  };
  // Whole MiB available on the root filesystem, 10–90 % used; tmpfs and overlay mounts the API must skip.
  const rootAvail =
    Math.round((HOST_ROOT_FS_SIZE_BYTES * (0.1 + 0.8 * unit(3_000_001))) / 1024 ** 2) * 1024 ** 2;
  const filesystems: SimFilesystem[] = [
    {
      device: '/dev/nvme0n1p2',
      fstype: 'ext4',
      mountpoint: '/',
      sizeBytes: HOST_ROOT_FS_SIZE_BYTES,
      availBytes: rootAvail,
    },
    {
      device: 'tmpfs',
      fstype: 'tmpfs',
      mountpoint: '/run',
      sizeBytes: 64 * 1024 ** 3,
      availBytes: 63 * 1024 ** 3,
    },
    {
      device: 'overlay',
      fstype: 'overlay',
      mountpoint: '/var/lib/containerd/overlay/1/merged',
      sizeBytes: HOST_ROOT_FS_SIZE_BYTES,
      availBytes: 1024 ** 3,
    },
  ];
  const network = [...HOST_PHYSICAL_NET_DEVICES, ...VIRTUAL_NET_DEVICES].map((device, i): SimNetDevice => {
    // Whole bytes per second up to ~1.25 GB/s (10 Gb/s); counters are float64 like node_exporter's own.
    const receiveBytesPerSecond = Math.round(1.25e9 * unit(4_000_000 + 2 * i));
    const transmitBytesPerSecond = Math.round(1.25e9 * unit(4_000_001 + 2 * i));
    return {
      device,
      receiveBytesPerSecond,
      transmitBytesPerSecond,
      receiveBytesTotal: uptimeSeconds * receiveBytesPerSecond,
      transmitBytesTotal: uptimeSeconds * transmitBytesPerSecond,
    };
  });
  return {
    cluster,
    node,
    memoryTotalBytes: HOST_MEMORY_TOTAL_BYTES,
    memoryAvailableBytes,
    cores,
    load,
    filesystems,
    network,
  };
}
