import type { PromSample } from '../shared/prom-sample';
import { gpuKey, type GpuSample } from './gpu-sample';
import { ReadingJudge } from '../quality/reading-value';
import { DCGM_VALUE_FAMILIES, METRIC_LABEL } from './dcgm-families';
import { scrapeTargetOf } from '../quality/scrape-target';
import { nodeOf, tenantOf, type TenantLabelNames } from './tenant-labels';

const FIELD_OF = new Map(DCGM_VALUE_FAMILIES.map((f) => [f.metric, f]));

/** The device key (`gpuKey`) of a dcgm-exporter series: UUID, plus GPU_I_ID on a MIG instance. */
export function dcgmKeyOf(labels: Readonly<Record<string, string>>): string {
  return gpuKey({ uuid: labels.UUID ?? '', migInstanceId: labels.GPU_I_ID || undefined });
}

/** The device a dcgm-exporter identity series names, as the snapshot and the window joins both report it. */
export function dcgmIdentityOf(
  cluster: string,
  uuid: string,
  labels: Readonly<Record<string, string>>,
): Pick<GpuSample, 'cluster' | 'node' | 'uuid' | 'index' | 'model' | 'migProfile' | 'migInstanceId'> {
  return {
    cluster,
    node: nodeOf(labels),
    uuid,
    index: Number(labels.gpu ?? 0),
    model: labels.modelName ?? 'unknown',
    migProfile: labels.GPU_I_PROFILE || undefined,
    migInstanceId: labels.GPU_I_ID || undefined,
  };
}

/**
 * Joins, in memory, the identity series (full labels, value = sample timestamp in seconds) with the per-GPU value
 * series (`kcloud_metric`, UUID, GPU_I_ID) into one sample per GPU or MIG instance. Time-sliced GPUs repeat the
 * identity per sharing pod; the first pod seen is kept. Every value goes through the reading-quality classifier: a
 * blank, NaN or impossible reading is left out and listed in `invalidReadings`.
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
      ...dcgmIdentityOf(cluster, uuid, labels),
      driverVersion: labels.DCGM_FI_DRIVER_VERSION || undefined,
      pciBusId: labels.pci_bus_id || undefined,
      ...tenantOf(labels, names, exporterPod),
      observedAt: new Date(Math.round(value * 1000)),
      scrapeTarget: scrapeTargetOf(labels),
    });
  }
  const judges = new Map<string, ReadingJudge>();
  for (const { labels, value } of values) {
    const family = FIELD_OF.get(labels[METRIC_LABEL] ?? '');
    const key = dcgmKeyOf(labels);
    const sample = byKey.get(key);
    if (!family || !sample) continue;
    let judge = judges.get(key);
    if (!judge) judges.set(key, (judge = new ReadingJudge()));
    // A refused reading is absent: a missing value is honest, a blank or a NaN would poison every average downstream.
    const read = judge.read(family.field, value, (raw) => raw * family.factor);
    if (read !== undefined) sample[family.field] = read;
  }
  for (const [key, judge] of judges) {
    const invalidReadings = judge.invalidReadings;
    if (invalidReadings) byKey.get(key)!.invalidReadings = invalidReadings;
  }
  return [...byKey.values()] as unknown as GpuSample[];
}
