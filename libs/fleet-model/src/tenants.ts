import { flat, shortSuffix } from './identity';
import type { ScenarioTenantFields } from './scenario';
import type { SimTenant, WorkloadPattern } from './types';

/**
 * Fills the tenant of an allocated device that the scenario left (partly) unnamed. Names follow the controllers'
 * conventions so kube_pod_info's created_by_* labels can be derived from them (see `ownerOf`).
 */
const DEFAULT_NAMESPACE: Readonly<Record<WorkloadPattern, string>> = {
  training: 'ml-training',
  inference: 'inference',
  notebook: 'research',
  unallocated: '',
  'dataloader-stall': 'ml-training',
  'allocated-empty': 'research',
  'prof-zero': 'ml-training',
};

const DEFAULT_CONTAINER: Readonly<Record<WorkloadPattern, string>> = {
  training: 'trainer',
  inference: 'server',
  notebook: 'notebook',
  unallocated: '',
  'dataloader-stall': 'trainer',
  'allocated-empty': 'worker',
  'prof-zero': 'trainer',
};

function defaultPodName(pattern: WorkloadPattern, key: string): string {
  switch (pattern) {
    case 'training':
    case 'prof-zero':
      return `train-${shortSuffix(`${key}|job`)}-${shortSuffix(`${key}|pod`)}`;
    case 'dataloader-stall':
      return `etl-train-${shortSuffix(`${key}|job`)}-${shortSuffix(`${key}|pod`)}`;
    case 'inference':
      return `infer-${shortSuffix(`${key}|rs`, 10)}-${shortSuffix(`${key}|pod`)}`;
    case 'notebook':
      return `jupyter-${shortSuffix(`${key}|user`)}-0`;
    case 'allocated-empty':
      return `batch-${shortSuffix(`${key}|job`)}-${shortSuffix(`${key}|pod`)}`;
    case 'unallocated':
      return '';
  }
}

/** `undefined` for an unallocated device; otherwise the given fields completed deterministically from `key`. */
export function completeTenant(
  pattern: WorkloadPattern,
  given: ScenarioTenantFields,
  key: string,
): SimTenant | undefined {
  if (pattern === 'unallocated') return undefined;
  return {
    namespace: given.namespace ?? DEFAULT_NAMESPACE[pattern],
    pod: given.pod ?? flat(defaultPodName(pattern, key)),
    container: given.container ?? DEFAULT_CONTAINER[pattern],
  };
}

/** The controller a pod name implies: `x-<10>-<5>` ReplicaSet, `x-<n>` StatefulSet, `x-<5>` Job, else none. */
export function ownerOf(pod: string): { readonly kind: string; readonly name: string } {
  const rs = /^(.+-[a-z0-9]{9,10})-[a-z0-9]{5}$/.exec(pod)?.[1];
  if (rs !== undefined) return { kind: 'ReplicaSet', name: rs };
  const sts = /^(.+)-\d+$/.exec(pod)?.[1];
  if (sts !== undefined) return { kind: 'StatefulSet', name: sts };
  const job = /^(.+)-[a-z0-9]{5}$/.exec(pod)?.[1];
  if (job !== undefined) return { kind: 'Job', name: job };
  return { kind: '', name: '' };
}
