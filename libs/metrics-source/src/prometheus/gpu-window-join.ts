import { gpuKey } from '../metric-source.port';
import type { GpuTenant, GpuWindowAggregate } from '../ports/gpu-window.port';
import { METRIC_LABEL } from './dcgm-families';
import type { PromSample } from './gpu-join';
import { WINDOW_BATCHES } from './gpu-window-queries';
import { nodeOf, tenantOf, type TenantLabelNames } from './tenant-labels';

const FIELD_OF = new Map(WINDOW_BATCHES.flat().map((f) => [f.metric, f.field]));

type Mutable = { -readonly [K in keyof GpuWindowAggregate]: GpuWindowAggregate[K] } & {
  tenants: GpuTenant[];
};

/**
 * Joins the identity series (full labels, value = sample time in seconds; one per pod on a time-sliced GPU) with the
 * per-device values (`kcloud_metric`, UUID, GPU_I_ID) into one aggregate per GPU or MIG instance. Values are kept as
 * read (NaN included) for the analyzer to judge. A MIG instance without its own power reading gets its parent's:
 * DCGM measures power per board.
 */
export function joinGpuWindow(
  cluster: string,
  identity: readonly PromSample[],
  values: readonly PromSample[],
  names: TenantLabelNames,
  exporterPod: RegExp,
): GpuWindowAggregate[] {
  const byKey = new Map<string, Mutable>();
  for (const { labels, value } of identity) {
    const uuid = labels.UUID;
    if (!uuid) continue;
    const migInstanceId = labels.GPU_I_ID || undefined;
    const key = gpuKey({ uuid, migInstanceId });
    const tenant = tenantOf(labels, names, exporterPod);
    const observedAt = new Date(Math.round(value * 1000));
    let entry = byKey.get(key);
    if (!entry) {
      entry = {
        cluster,
        node: nodeOf(labels),
        uuid,
        index: Number(labels.gpu ?? 0),
        model: labels.modelName ?? 'unknown',
        migProfile: labels.GPU_I_PROFILE || undefined,
        migInstanceId,
        tenants: [],
        observedAt,
      };
      byKey.set(key, entry);
    }
    if (observedAt > entry.observedAt) entry.observedAt = observedAt;
    if (
      tenant.pod &&
      !entry.tenants.some(
        (t) => t.namespace === tenant.namespace && t.pod === tenant.pod && t.container === tenant.container,
      )
    )
      entry.tenants.push(tenant);
  }
  for (const { labels, value } of values) {
    const field = FIELD_OF.get(labels[METRIC_LABEL] ?? '');
    const entry = byKey.get(gpuKey({ uuid: labels.UUID ?? '', migInstanceId: labels.GPU_I_ID || undefined }));
    if (field && entry) entry[field] = value;
  }
  inheritBoardPower([...byKey.values()]);
  for (const entry of byKey.values()) entry.tenants.sort(compareTenants);
  return [...byKey.values()];
}

function inheritBoardPower(entries: Mutable[]): void {
  const board = new Map<string, { powerWatts?: number; powerLimitWatts?: number }>();
  for (const e of entries) {
    const b = board.get(e.uuid) ?? {};
    b.powerWatts ??= e.powerWatts;
    b.powerLimitWatts ??= e.powerLimitWatts;
    board.set(e.uuid, b);
  }
  for (const e of entries) {
    if (!e.migInstanceId) continue;
    e.powerWatts ??= board.get(e.uuid)?.powerWatts;
    e.powerLimitWatts ??= board.get(e.uuid)?.powerLimitWatts;
  }
}

export function compareTenants(a: GpuTenant, b: GpuTenant): number {
  return (
    (a.namespace ?? '').localeCompare(b.namespace ?? '') ||
    (a.pod ?? '').localeCompare(b.pod ?? '') ||
    (a.container ?? '').localeCompare(b.container ?? '')
  );
}
