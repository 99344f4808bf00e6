import type { DeviceFilter } from '../shared/device-filter';
import type { GpuWindowAggregate } from './gpu-window.port';

const allows = (list: readonly string[] | undefined, value: string | undefined): boolean =>
  list === undefined || (value !== undefined && list.includes(value));

/** In-memory filter for window aggregates: a device matches a tenant filter when any pod on it does. */
export function matchesWindowAggregate(filter: DeviceFilter, a: GpuWindowAggregate): boolean {
  const tenants = a.tenants.length ? a.tenants : [{}];
  return (
    allows(filter.clusters, a.cluster) &&
    allows(filter.nodes, a.node) &&
    allows(filter.models, a.model) &&
    allows(filter.uuids, a.uuid) &&
    tenants.some((t) => allows(filter.namespaces, t.namespace) && allows(filter.pods, t.pod))
  );
}
