import type { MigSlot, PhysicalGpu } from './device';
import { FleetModelError } from './errors';
import { completeTenant } from './tenants';
import type { SimTenant, WorkloadPattern } from './types';

// What FleetModel.setPattern checks and decides before it switches a device's pattern at run time.

/** The MIG slot `migInstanceId` names on `gpu`, or none for a whole GPU; a mismatch is the caller's error. */
export function targetSlot(gpu: PhysicalGpu, migInstanceId: string | undefined): MigSlot | undefined {
  if (!gpu.mig) {
    if (migInstanceId !== undefined)
      throw new FleetModelError('NOT_FOUND', `GPU ${gpu.uuid} has no MIG instances`);
    return undefined;
  }
  if (migInstanceId === undefined)
    throw new FleetModelError('BAD_USER_INPUT', `GPU ${gpu.uuid} is MIG-enabled: name a migInstanceId`);
  const slot = gpu.mig.find((s) => s.instanceId === String(migInstanceId));
  if (!slot) throw new FleetModelError('NOT_FOUND', `GPU ${gpu.uuid} has no MIG instance ${migInstanceId}`);
  return slot;
}

/** The holder's tenant after the switch: kept, newly named, cleared (`null`, `unallocated`) or the given pod. */
export function chooseTenant(
  holder: { readonly tenant: SimTenant | undefined },
  pattern: WorkloadPattern,
  tenant: SimTenant | null | undefined,
  key: string,
): SimTenant | undefined {
  if (pattern === 'unallocated') {
    if (tenant) throw new FleetModelError('BAD_USER_INPUT', 'an unallocated device has no tenant');
    return undefined;
  }
  if (tenant === null) return undefined;
  if (tenant === undefined) return holder.tenant ?? completeTenant(pattern, {}, key);
  for (const field of ['namespace', 'pod', 'container'] as const)
    if (typeof tenant[field] !== 'string' || tenant[field].length === 0)
      throw new FleetModelError('BAD_USER_INPUT', `tenant.${field} must be a non-empty string`);
  return { namespace: tenant.namespace, pod: tenant.pod, container: tenant.container };
}
