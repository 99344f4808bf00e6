import { gpuKey, type GpuSample } from '../metric-source.port';
import { DCGM_VALUE_FAMILIES, METRIC_LABEL } from './dcgm-families';
import { nodeOf, tenantOf, type TenantLabelNames } from './tenant-labels';

export interface PromSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const FIELD_OF = new Map(DCGM_VALUE_FAMILIES.map((f) => [f.metric, f]));

/** The device key (`gpuKey`) of a dcgm-exporter series: UUID, plus GPU_I_ID on a MIG instance. */
export function dcgmKeyOf(labels: Readonly<Record<string, string>>): string {
  return gpuKey({ uuid: labels.UUID ?? '', migInstanceId: labels.GPU_I_ID || undefined });
}

/**
 * Joins, in memory, the identity series (full labels, value = sample timestamp in seconds) with the per-GPU value
 * series (`kcloud_metric`, UUID, GPU_I_ID) into one sample per GPU or MIG instance. Time-sliced GPUs repeat the
 * identity per sharing pod; the first pod seen is kept.
 */
export function joinGpuSamples(
  cluster: string,
  identity: readonly PromSample[],
  values: readonly PromSample[],
  names: TenantLabelNames,
  exporterPod: RegExp,
): GpuSample[] {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const { labels, value } of identity) {
    const uuid = labels.UUID;
    if (!uuid) continue;
    const key = gpuKey({ uuid, migInstanceId: labels.GPU_I_ID || undefined });
    if (byKey.has(key)) continue;
    byKey.set(key, {
      cluster,
      node: nodeOf(labels),
      uuid,
      index: Number(labels.gpu ?? 0),
      model: labels.modelName ?? 'unknown',
      driverVersion: labels.DCGM_FI_DRIVER_VERSION || undefined,
      pciBusId: labels.pci_bus_id || undefined,
      migProfile: labels.GPU_I_PROFILE || undefined,
      migInstanceId: labels.GPU_I_ID || undefined,
      ...tenantOf(labels, names, exporterPod),
      observedAt: new Date(Math.round(value * 1000)),
    });
  }
  for (const { labels, value } of values) {
    const family = FIELD_OF.get(labels[METRIC_LABEL] ?? '');
    const sample = byKey.get(dcgmKeyOf(labels));
    // NaN readings are dropped: a missing value is honest, a NaN would poison every average downstream.
    if (!family || !sample || !Number.isFinite(value)) continue;
    sample[family.field] = value * family.factor;
  }
  return [...byKey.values()] as unknown as GpuSample[];
}
