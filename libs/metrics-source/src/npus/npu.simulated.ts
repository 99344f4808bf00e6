import type { PartialResult } from '@kcloud/common';
import type { FleetModel, SimNpu } from '@kcloud/fleet-model';
import { matchesDevice, matchesNothing } from '../shared/device-filter';
import type { DeviceFilter } from '../shared/device-filter';
import type { NpuSample, NpuSource } from './npu.port';
import { judgedFields } from '../shared/simulated-readings';

/** NPU cards as their exporters report them (Furiosa: no memory; Rebellions: no ambient sensor). */
export class SimulatedNpus implements NpuSource {
  constructor(
    private readonly model: FleetModel,
    private readonly now: () => number = Date.now,
  ) {}

  async npuSamples(filter: DeviceFilter): Promise<PartialResult<NpuSample>> {
    if (matchesNothing(filter)) return { items: [], failures: [] };
    const atMs = this.now();
    const items = this.model
      .npus(undefined, atMs)
      .filter((n) => matchesDevice(filter, n))
      .map((n) => simulatedNpuSample(n, atMs));
    return { items, failures: [] };
  }
}

const NPU_READINGS = [
  'utilizationPercent',
  'memoryUsedMiB',
  'memoryTotalMiB',
  'powerWatts',
  'temperatureCelsius',
  'ambientTemperatureCelsius',
] as const;

/** A simulated card as its exporter reads at `atMs`, readings judged like the exporters' (also for history). */
export function simulatedNpuSample(n: SimNpu, atMs: number): NpuSample {
  return judgedFields(toNpuSample(n, atMs), NPU_READINGS);
}

function toNpuSample(n: SimNpu, atMs: number): NpuSample {
  return {
    cluster: n.cluster,
    node: n.node,
    uuid: n.uuid,
    vendor: n.vendor,
    model: n.model,
    device: n.device,
    index: n.index,
    // rbln-metrics-exporter prints no PCI address.
    pciBusId: n.vendor === 'furiosa' ? n.pciBusId : undefined,
    driverVersion: n.driverVersion,
    firmwareVersion: n.firmwareVersion,
    namespace: n.namespace,
    pod: n.pod,
    container: n.container,
    utilizationPercent: n.utilizationPercent,
    // Only a Furiosa card's device-wise `core` label tells its core count.
    coreCount: n.vendor === 'furiosa' ? n.coreCount : undefined,
    memoryUsedMiB: n.memoryUsedMiB,
    memoryTotalMiB: n.memoryTotalMiB,
    powerWatts: n.powerWatts,
    temperatureCelsius: n.temperatureCelsius,
    ambientTemperatureCelsius: n.ambientTemperatureCelsius,
    healthy: n.healthy,
    observedAt: new Date(atMs),
  };
}
