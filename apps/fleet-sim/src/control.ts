import {
  BLANK_FORMS,
  clockEventMask,
  FleetModelError,
  isWorkloadPattern,
  WORKLOAD_PATTERNS,
} from '@kcloud/fleet-model';
import type { BlankForm, FleetModel, SimGpuHealth, SimTenant } from '@kcloud/fleet-model';

import type { TargetOutages } from './target-outages';

/**
 * The control API's request bodies, checked and applied to the model. Tests and demos use it to switch a device's
 * workload or make a GPU disappear while Prometheus is scraping.
 */
export interface SetPatternRequest {
  readonly uuid: string;
  readonly migInstanceId?: string;
  readonly pattern: string;
  /** Omitted: keep (or invent) the tenant; null: no pod; object: that pod. */
  readonly tenant?: SimTenant | null;
}

export interface RemoveGpuRequest {
  readonly uuid: string;
}

export function applySetPattern(model: FleetModel, body: unknown): void {
  const req = asObject(body);
  const uuid = requireString(req.uuid, 'uuid');
  const mig = req.migInstanceId;
  if (mig !== undefined && mig !== null && typeof mig !== 'string' && typeof mig !== 'number')
    throw bad('migInstanceId must be a string');
  const pattern = req.pattern;
  if (!isWorkloadPattern(pattern)) throw bad(`pattern must be one of ${WORKLOAD_PATTERNS.join(', ')}`);
  model.setPattern(
    uuid,
    mig === undefined || mig === null ? undefined : String(mig),
    pattern,
    parseTenant(req.tenant),
  );
}

export function applyRemoveGpu(model: FleetModel, body: unknown): void {
  model.removeGpu(requireString(asObject(body).uuid, 'uuid'));
}

/**
 * `POST /control/blank {field, value, uuid?, migInstanceId?, node?, labels?}`: the family `field` of that device is
 * served as the blank form `value` (int64, int32, uint32, fp64, float-max, nan, inf, impossible); `value: null` (or
 * "clear") serves it normally again. With neither uuid, node nor labels and a null value, every blank is cleared.
 */
export function applyBlank(model: FleetModel, body: unknown): void {
  const req = asObject(body);
  const value = req.value;
  if ((value === null || value === 'clear') && req.field === undefined) return model.blanks.clear();
  const metric = requireString(req.field, 'field');
  const mig = req.migInstanceId;
  if (mig !== undefined && mig !== null && typeof mig !== 'string' && typeof mig !== 'number')
    throw bad('migInstanceId must be a string');
  const device = {
    metric,
    uuid: optionalString(req.uuid, 'uuid'),
    migInstanceId: mig === undefined || mig === null ? undefined : String(mig),
    node: optionalString(req.node, 'node'),
    labels: parseLabels(req.labels),
  };
  if (value === null || value === 'clear') return model.blanks.clear(device);
  if (typeof value !== 'string' || !(BLANK_FORMS as readonly string[]).includes(value))
    throw bad(`value must be one of ${BLANK_FORMS.join(', ')}, or null`);
  model.blanks.set({ ...device, form: value as BlankForm });
}

function optionalString(x: unknown, what: string): string | undefined {
  return x === undefined || x === null ? undefined : requireString(x, what);
}

function parseLabels(raw: unknown): Readonly<Record<string, string>> | undefined {
  if (raw === undefined || raw === null) return undefined;
  const o = asObject(raw, 'labels');
  for (const [k, v] of Object.entries(o)) requireString(v, `labels.${k}`);
  return o as Record<string, string>;
}

function parseTenant(raw: unknown): SimTenant | null | undefined {
  if (raw === undefined || raw === null) return raw;
  const t = asObject(raw, 'tenant');
  return {
    namespace: requireString(t.namespace, 'tenant.namespace'),
    pod: requireString(t.pod, 'tenant.pod'),
    container: requireString(t.container, 'tenant.container'),
  };
}

function asObject(x: unknown, what = 'body'): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw bad(`${what} must be a JSON object`);
  return x as Record<string, unknown>;
}

function requireString(x: unknown, what: string): string {
  if (typeof x !== 'string' || x.length === 0) throw bad(`${what} must be a non-empty string`);
  return x;
}

function bad(message: string): FleetModelError {
  return new FleetModelError('BAD_USER_INPUT', message);
}

/**
 * `POST /control/freeze {uuid, frozen?}`: the GPU's or NPU card's readings stop changing (a GPU's MIG instances too) while it is
 * still scraped; `frozen: false` thaws it. Without a uuid and with `frozen: false`, every GPU is thawed.
 */
export function applyFreeze(model: FleetModel, body: unknown): void {
  const req = asObject(body);
  const frozen = req.frozen ?? true;
  if (typeof frozen !== 'boolean') throw bad('frozen must be a boolean');
  if (req.uuid === undefined && !frozen) return model.frozen.thaw();
  const uuid = requireString(req.uuid, 'uuid');
  if (!model.gpus().some((g) => g.uuid === uuid) && !model.npus().some((n) => n.uuid === uuid))
    throw new FleetModelError('NOT_FOUND', `no GPU or NPU with UUID ${uuid}`);
  if (frozen) model.frozen.freeze(uuid);
  else model.frozen.thaw(uuid);
}

/**
 * `POST /control/target {path, state}`: the exporter target served at `path` (e.g. /metrics/east/dcgm/gpu-node-1)
 * answers 503 (`unavailable`), drops the connection (`refused`), or serves again (`up`).
 */
export function applyTargetState(outages: TargetOutages, body: unknown): void {
  const req = asObject(body);
  const path = requireString(req.path, 'path');
  if (!path.startsWith('/metrics/')) throw bad('path must be a scrape path under /metrics/');
  const state = req.state;
  if (state !== 'up' && state !== 'unavailable' && state !== 'refused')
    throw bad('state must be one of up, unavailable, refused');
  outages.set(path, state === 'up' ? null : state);
}

/** Fault body keys → the health field each sets (all non-negative integer counts, `xid` the code). */
const FAULT_FIELDS: Readonly<Record<string, keyof SimGpuHealth>> = {
  xid: 'xid',
  eccSbe: 'eccSbeVolatile',
  eccDbe: 'eccDbeVolatile',
  retiredPagesDbe: 'retiredPagesDbe',
  correctableRemappedRows: 'correctableRemappedRows',
  uncorrectableRemappedRows: 'uncorrectableRemappedRows',
  pcieReplays: 'pcieReplays',
  nvlinkCrcFlitErrors: 'nvlinkCrcFlitErrors',
  nvlinkCrcDataErrors: 'nvlinkCrcDataErrors',
  nvlinkReplayErrors: 'nvlinkReplayErrors',
  nvlinkRecoveryErrors: 'nvlinkRecoveryErrors',
};

/**
 * `POST /control/fault {uuid, xid?, eccSbe?, eccDbe?, retiredPagesDbe?, correctableRemappedRows?,
 * uncorrectableRemappedRows?, rowRemapFailure?: boolean, throttle?: ["HW_SLOWDOWN", …], pcieReplays?, nvlink…?}`:
 * the GPU's dcgm health families report these values (merged into any earlier fault); `{uuid, clear: true}` makes it
 * healthy again, `{clear: true}` alone every GPU.
 */
export function applyFault(model: FleetModel, body: unknown): void {
  const req = asObject(body);
  if (req.clear === true && req.uuid === undefined) return model.faults.clear();
  const uuid = requireString(req.uuid, 'uuid');
  if (!model.gpus().some((g) => g.uuid === uuid))
    throw new FleetModelError('NOT_FOUND', `no GPU with UUID ${uuid}`);
  if (req.clear === true) return model.faults.clear(uuid);
  const fault: Partial<Record<keyof SimGpuHealth, number>> = {};
  for (const [key, field] of Object.entries(FAULT_FIELDS)) {
    const v = req[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
      throw bad(`${key} must be a non-negative integer`);
    fault[field] = v;
  }
  if (req.rowRemapFailure !== undefined) {
    if (typeof req.rowRemapFailure !== 'boolean') throw bad('rowRemapFailure must be a boolean');
    fault.rowRemapFailure = req.rowRemapFailure ? 1 : 0;
  }
  if (req.throttle !== undefined) {
    if (!Array.isArray(req.throttle) || req.throttle.some((t) => typeof t !== 'string'))
      throw bad('throttle must be a list of clock event reason names');
    fault.clocksEventReasons = clockEventMask(req.throttle as string[]);
  }
  if (Object.keys(fault).length === 0) throw bad('name at least one fault field, or clear: true');
  model.faults.set(uuid, fault);
}
