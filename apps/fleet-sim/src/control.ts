import { FleetModelError, isWorkloadPattern, WORKLOAD_PATTERNS } from '@kcloud/fleet-sim';
import type { FleetModel, SimTenant } from '@kcloud/fleet-sim';

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
