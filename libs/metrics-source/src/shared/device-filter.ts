import type { InfraFilter } from './infra-filter';

/** Label filters pushed down to the source. Lists are OR within a field, AND across fields; empty list = match nothing. */
export interface DeviceFilter {
  readonly clusters?: readonly string[];
  readonly nodes?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly pods?: readonly string[];
  readonly models?: readonly string[];
  readonly uuids?: readonly string[];
}

/** True when some list in the filter is empty: the caller's filter and scope do not overlap, nothing can match. */
export function matchesNothing(filter: DeviceFilter | InfraFilter): boolean {
  return Object.values(filter).some((v) => Array.isArray(v) && v.length === 0);
}

const allows = (list: readonly string[] | undefined, value: string | undefined): boolean =>
  list === undefined || (value !== undefined && list.includes(value));

/** In-memory application of a DeviceFilter, for the simulated adapter and for labels PromQL cannot match directly. */
export function matchesDevice(
  filter: DeviceFilter,
  d: { cluster: string; node: string; namespace?: string; pod?: string; model: string; uuid: string },
): boolean {
  return (
    allows(filter.clusters, d.cluster) &&
    allows(filter.nodes, d.node) &&
    allows(filter.namespaces, d.namespace) &&
    allows(filter.pods, d.pod) &&
    allows(filter.models, d.model) &&
    allows(filter.uuids, d.uuid)
  );
}
