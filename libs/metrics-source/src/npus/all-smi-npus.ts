import type { GpuSample } from '../gpu-snapshot/gpu-sample';
import type { NpuSample, NpuVendor } from './npu.port';

/**
 * all-smi's NPU/TPU device rows as NPU cards. all-smi writes its GPU families for every device, so the rows are
 * joined (and their readings judged) by joinAllSmi like GPUs; here they only change shape. all-smi attributes no
 * pods: the cards carry no tenant, so a namespace-scoped caller sees none.
 */
export function allSmiNpuSamples(rows: readonly GpuSample[]): NpuSample[] {
  return rows.map((g) => ({
    cluster: g.cluster,
    node: g.node,
    uuid: g.uuid,
    vendor: npuVendorOf(g.model),
    model: g.model,
    device: g.model,
    index: g.index,
    driverVersion: g.driverVersion,
    utilizationPercent: g.utilizationPercent,
    memoryUsedMiB: g.memoryUsedMiB,
    memoryTotalMiB:
      g.memoryUsedMiB !== undefined && g.memoryFreeMiB !== undefined
        ? g.memoryUsedMiB + g.memoryFreeMiB
        : undefined,
    powerWatts: g.powerWatts,
    temperatureCelsius: g.temperatureCelsius,
    invalidReadings: g.invalidReadings,
    observedAt: g.observedAt,
    exporter: 'all-smi',
  }));
}

/** The maker in all-smi's device name (its readers name devices `Furiosa RNGD`, `Google TPU v5e`, …). */
export function npuVendorOf(name: string): NpuVendor {
  if (/furiosa|rngd|warboy/i.test(name)) return 'furiosa';
  if (/rebellions|rbln|atom/i.test(name)) return 'rebellions';
  if (/google|\btpu\b/i.test(name)) return 'google';
  if (/tenstorrent|wormhole|blackhole|grayskull/i.test(name)) return 'tenstorrent';
  if (/trainium|inferentia|neuron|aws/i.test(name)) return 'aws';
  if (/gaudi|\bhl-/i.test(name)) return 'intel';
  return 'unknown';
}
