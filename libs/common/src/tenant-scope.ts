import { DomainError } from './errors/domain-error';
import { ErrorCode } from './errors/error-code';

/**
 * What a caller may see. Absent or empty lists mean "all". Services intersect every filter with the scope before
 * anything reaches a MetricSource, so queries, subscriptions and exports obey the same rule.
 */
export interface TenantScope {
  readonly clusters?: readonly string[];
  readonly namespaces?: readonly string[];
}

export const UNRESTRICTED: TenantScope = Object.freeze({});

/**
 * Narrows a requested value list by what the scope allows. `undefined` means "no constraint"; an empty array
 * means "nothing may match" (the caller asked for something outside the scope: an empty result, not an error).
 */
export function narrow(
  requested: readonly string[] | undefined,
  allowed: readonly string[] | undefined,
): readonly string[] | undefined {
  if (!allowed || allowed.length === 0) return requested;
  if (!requested || requested.length === 0) return allowed;
  return requested.filter((r) => allowed.includes(r));
}

export function inScope(scope: TenantScope, cluster: string, namespace: string | undefined): boolean {
  if (scope.clusters?.length && !scope.clusters.includes(cluster)) return false;
  // A namespace-scoped key sees only devices allocated to its namespaces, never unallocated ones.
  if (scope.namespaces?.length && (!namespace || !scope.namespaces.includes(namespace))) return false;
  return true;
}

/**
 * The one rule for node-wide readings (BMC sensors, server input power, whole-node power): they add up every tenant
 * on the node, so a key scoped to namespaces may not read them (FORBIDDEN); cluster scope narrows as usual.
 */
export function assertNodeWideAccess(what: string, scope: TenantScope): void {
  if (scope.namespaces?.length)
    throw new DomainError(ErrorCode.FORBIDDEN, `${what} node-wide; a namespace-scoped key cannot read it`);
}
