import type { NpuSample, NpuVendor } from './npu.port';
import { isBlankSentinel, ReadingJudge } from '../quality/reading-value';
import { BYTES_PER_MIB, groupValues, instanceHost } from '../shared/family-values';
import type { PromSample } from '../shared/prom-sample';
import { NPU } from './npu-queries';
import { scrapeTargetOf } from '../quality/scrape-target';
import { tenantOf, type TenantLabelNames } from '../gpu-snapshot/tenant-labels';

/** Furiosa's `arch` label in the product's own spelling; unknown archs pass through. */
const FURIOSA_MODELS: Readonly<Record<string, string>> = { rngd: 'RNGD', warboy: 'Warboy' };

const MIB = (bytes: number): number => bytes / BYTES_PER_MIB;

/**
 * One NpuSample per card: identity and tenant from the device-wise power series (a partitioned Furiosa card repeats
 * it per pod: the first row with a tenant wins), values from the values query keyed by (family, uuid, sensor label).
 * Every value goes through the reading-quality classifier; memory used above the card's total is refused too.
 */
export function joinNpuSamples(
  cluster: string,
  identity: readonly PromSample[],
  values: readonly PromSample[],
  names: TenantLabelNames,
  exporterPod: RegExp,
): NpuSample[] {
  const byUuid = groupValues(values, (l) => `${l.uuid ?? ''}|${l.label ?? ''}`);
  const out = new Map<string, NpuSample>();
  for (const { labels, value } of identity) {
    const uuid = labels.uuid;
    if (!uuid) continue;
    const tenant = tenantOf(labels, names, exporterPod);
    const seen = out.get(uuid);
    if (seen && (seen.pod || !tenant.pod)) continue;
    // timestamp() drops __name__; rbln-metrics-exporter always prints `card`, furiosa-metrics-exporter never.
    const vendor: NpuVendor = labels.card !== undefined ? 'rebellions' : 'furiosa';
    const v = (family: string, sensor = ''): number | undefined =>
      byUuid.get(`${uuid}|${sensor}`)?.get(family);
    const device = (vendor === 'furiosa' ? labels.device : labels.name) ?? '';
    const common = {
      cluster,
      // Furiosa ≤ 2025.1 named the node `kubernetes_node_name`.
      node: labels.hostname || labels.kubernetes_node_name || instanceHost(labels),
      uuid,
      vendor,
      device,
      index: Number(/(\d+)$/.exec(device)?.[1] ?? 0),
      driverVersion: labels.driver_version || undefined,
      firmwareVersion: labels.firmware_version || undefined,
      ...tenant,
      observedAt: new Date(Math.round(value * 1000)),
      scrapeTarget: scrapeTargetOf(labels),
    };
    const judge = new ReadingJudge();
    const memory = (usedFamily: string, totalFamily: string) => {
      const memoryTotalMiB = judge.read('memoryTotalMiB', v(totalFamily), MIB);
      const used = judge.read('memoryUsedMiB', v(usedFamily), MIB);
      return { memoryUsedMiB: judge.capped('memoryUsedMiB', used, memoryTotalMiB), memoryTotalMiB };
    };
    const sample: NpuSample =
      vendor === 'furiosa'
        ? {
            ...common,
            model: FURIOSA_MODELS[labels.arch ?? ''] ?? labels.arch ?? 'unknown',
            pciBusId: labels.pci_bus_id || undefined,
            coreCount: coreCount(labels.core),
            utilizationPercent: judge.read('utilizationPercent', v(NPU.furiosaCoreUtilization)),
            ...memory(NPU.furiosaDramUsed, NPU.furiosaDramTotal),
            powerWatts: judge.read('powerWatts', v(NPU.furiosaPower, 'rms')),
            temperatureCelsius: judge.read('temperatureCelsius', v(NPU.furiosaTemperature, 'peak')),
            ambientTemperatureCelsius: judge.read(
              'ambientTemperatureCelsius',
              v(NPU.furiosaTemperature, 'ambient'),
            ),
            healthy: flag(v(NPU.furiosaAlive), 1),
          }
        : {
            ...common,
            model: labels.card || 'unknown',
            utilizationPercent: judge.read('utilizationPercent', v(NPU.rblnUtilization)),
            ...memory(NPU.rblnDramUsed, NPU.rblnDramTotal),
            powerWatts: judge.read('powerWatts', v(NPU.rblnPower)),
            temperatureCelsius: judge.read('temperatureCelsius', v(NPU.rblnTemperature)),
            // 0 = active/healthy, 1 = inactive.
            healthy: flag(v(NPU.rblnHealth), 0),
          };
    out.set(uuid, { ...sample, invalidReadings: judge.invalidReadings });
  }
  return [...out.values()];
}

/** A health gauge as a flag; a NaN or a blank says nothing about health (unknown, not unhealthy). */
function flag(value: number | undefined, healthyValue: number): boolean | undefined {
  return value === undefined || !Number.isFinite(value) || isBlankSentinel(value, 'int32')
    ? undefined
    : value === healthyValue;
}

/** The device-wise `core` label is the card's core range (`0-7`), or one index for a single-core partition. */
export function coreCount(core: string | undefined): number | undefined {
  const range = /^(\d+)-(\d+)$/.exec(core ?? '');
  if (range) return Number(range[2]) - Number(range[1]) + 1;
  return /^\d+$/.test(core ?? '') ? 1 : undefined;
}
