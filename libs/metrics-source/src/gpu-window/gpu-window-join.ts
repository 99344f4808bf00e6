import { gpuKey } from '../gpu-snapshot/gpu-sample';
import type { GpuTenant, GpuWindowAggregate } from './gpu-window.port';
import { type ReadingField, ReadingJudge } from '../quality/reading-value';
import type { DeviceConstants } from './device-constants';
import { dcgmIdentityOf, dcgmKeyOf } from '../gpu-snapshot/gpu-join';
import { type PromSample } from '../shared/prom-sample';
import type { WindowFamily, WindowField } from './gpu-window-queries';
import { tenantOf, type TenantLabelNames } from '../gpu-snapshot/tenant-labels';

type Mutable = { -readonly [K in keyof GpuWindowAggregate]: GpuWindowAggregate[K] } & {
  tenants: GpuTenant[];
};

/**
 * Per-device window values, folded in as each family's answer arrives (samples labelled UUID, GPU_I_ID only). Folding
 * early lets the parsed answers die young: holding all of them until the last one lands made garbage collection the
 * largest cost of a 10k-GPU read.
 */
export class WindowValues {
  private readonly byKey = new Map<string, Partial<Record<WindowField, number>>>();

  add(family: WindowFamily, samples: readonly PromSample[]): void {
    for (const { labels, value } of samples) {
      const key = dcgmKeyOf(labels);
      let values = this.byKey.get(key);
      if (!values) this.byKey.set(key, (values = {}));
      values[family.field] = value;
    }
  }

  of(key: string): Partial<Record<WindowField, number>> | undefined {
    return this.byKey.get(key);
  }
}

/**
 * Joins the identity series (full labels, value = sample time in seconds; one per pod on a time-sliced GPU) with the
 * per-device values of each family (UUID, GPU_I_ID) into one aggregate per GPU or MIG instance. Every average goes
 * through the reading-quality classifier: one blank among the window's samples drags the average far out of range
 * (the blank is ~2^31 or more), so the average is refused as a whole, absent with its reason in `invalidReadings`.
 * A MIG instance without its own power reading gets its parent's: DCGM measures power per board.
 */
export function joinGpuWindow(
  cluster: string,
  identity: readonly PromSample[],
  values: WindowValues,
  constants: ReadonlyMap<string, DeviceConstants>,
  names: TenantLabelNames,
  exporterPod: RegExp,
): GpuWindowAggregate[] {
  const byKey = new Map<string, Mutable>();
  for (const { labels, value } of identity) {
    const uuid = labels.UUID;
    if (!uuid) continue;
    const key = gpuKey({ uuid, migInstanceId: labels.GPU_I_ID || undefined });
    const tenant = tenantOf(labels, names, exporterPod);
    const observedAt = new Date(Math.round(value * 1000));
    let entry = byKey.get(key);
    if (!entry) {
      const { read, invalidReadings } = judgeAverages(values.of(key));
      entry = {
        ...dcgmIdentityOf(cluster, uuid, labels),
        tenants: [],
        observedAt,
        ...read,
        ...fromConstants(constants.get(key), read.memoryUsedMiB),
        invalidReadings,
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
  inheritBoardPower([...byKey.values()]);
  for (const entry of byKey.values()) entry.tenants.sort(compareTenants);
  return [...byKey.values()];
}

/**
 * Free framebuffer over the window = capacity − average used: exact while the capacity is constant, which it is for a
 * board and for a MIG instance.
 */
function fromConstants(
  c: DeviceConstants | undefined,
  usedMiB: number | undefined,
): Pick<GpuWindowAggregate, 'memoryFreeMiB' | 'memoryReservedMiB' | 'powerLimitWatts'> {
  return {
    memoryFreeMiB:
      c?.memoryUsableMiB !== undefined && usedMiB !== undefined ? c.memoryUsableMiB - usedMiB : undefined,
    memoryReservedMiB: c?.memoryReservedMiB,
    powerLimitWatts: c?.powerLimitWatts,
  };
}

function judgeAverages(averages: Partial<Record<WindowField, number>> | undefined): {
  read: Partial<Record<WindowField, number>>;
  invalidReadings: GpuWindowAggregate['invalidReadings'];
} {
  const judge = new ReadingJudge();
  const read: Partial<Record<WindowField, number>> = {};
  for (const [field, value] of Object.entries(averages ?? {}) as [WindowField & ReadingField, number][]) {
    const kept = judge.read(field, value);
    if (kept !== undefined) read[field] = kept;
  }
  return { read, invalidReadings: judge.invalidReadings };
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
    // An instance whose own power reading was refused does not borrow another row's: the board's reading is suspect.
    if (!e.migInstanceId || e.invalidReadings?.some((r) => r.field === 'powerWatts')) continue;
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
