import { inScope, type TenantScope } from '@kcloud/common';
import { gpuKey, type GpuWindowAggregate } from '@kcloud/metrics-source';
import type { DeviceActivity } from '../activity/device-activity';
import type { DeviceScore } from './scoring';

/** The device's identity and the window averages exported next to its score, as the window read gave them. */
type DeviceFields = Pick<
  GpuWindowAggregate,
  | 'cluster'
  | 'node'
  | 'uuid'
  | 'index'
  | 'model'
  | 'migProfile'
  | 'migInstanceId'
  | 'tenants'
  | 'memoryUsedMiB'
  | 'powerWatts'
  | 'smClockMHz'
  | 'observedAt'
>;

/** The analyzer's result for one device (GPU or MIG instance), as kept between cycles. */
export interface ScoreRecord extends DeviceScore, DeviceFields {
  readonly key: string;
  readonly windowSeconds: number;
  readonly computedAt: Date;
  /** When the device entered its current status (first sighting when the analyzer has not seen it change). */
  readonly statusSince: Date;
  /** True when the device's cluster failed in the latest cycle and this is the last good result. */
  readonly stale: boolean;
  /** The allocation-aware activity state and its hysteresis evidence (absent until a cycle has judged it). */
  readonly activity?: DeviceActivity;
}

/** A record attributed to one of the pods holding the device; a time-sliced GPU yields one row per pod. */
export interface ScoreRow extends ScoreRecord {
  readonly namespace?: string;
  readonly pod?: string;
  readonly container?: string;
  /** Pods sharing the physical device (1 when not time-sliced, 0 when unallocated). */
  readonly sharedWith: number;
}

export function toRecord(
  a: GpuWindowAggregate,
  result: DeviceScore,
  windowSeconds: number,
  computedAt: Date,
  previous: ScoreRecord | undefined,
): ScoreRecord {
  return {
    ...result,
    key: gpuKey(a),
    cluster: a.cluster,
    node: a.node,
    uuid: a.uuid,
    index: a.index,
    model: a.model,
    migProfile: a.migProfile,
    migInstanceId: a.migInstanceId,
    tenants: a.tenants,
    memoryUsedMiB: finite(a.memoryUsedMiB),
    powerWatts: finite(a.powerWatts),
    smClockMHz: finite(a.smClockMHz),
    windowSeconds,
    computedAt,
    observedAt: a.observedAt,
    statusSince: previous && previous.status === result.status ? previous.statusSince : computedAt,
    stale: false,
  };
}

/** Scored once per physical device, then attributed: one row per pod holding it. */
export function attribute(record: ScoreRecord): ScoreRow[] {
  const sharedWith = record.tenants.length;
  if (sharedWith === 0) return [{ ...record, sharedWith }];
  return record.tenants.map((t) => ({
    ...record,
    namespace: t.namespace,
    pod: t.pod,
    container: t.container,
    sharedWith,
  }));
}

/** Attributed rows the scope may see: a namespace-scoped caller gets only its own pods' rows of a shared GPU. */
export function rowsInScope(records: readonly ScoreRecord[], scope: TenantScope): ScoreRow[] {
  return records.flatMap(attribute).filter((r) => inScope(scope, r.cluster, r.namespace));
}

const finite = (v: number | undefined): number | undefined =>
  v !== undefined && Number.isFinite(v) ? v : undefined;
