/** Label filters for node, pod and sensor reads; same rules as DeviceFilter. */
export interface InfraFilter {
  readonly clusters?: readonly string[];
  readonly nodes?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly pods?: readonly string[];
}

const allows = (list: readonly string[] | undefined, value: string | undefined): boolean =>
  list === undefined || (value !== undefined && list.includes(value));

/**
 * In-memory application of an InfraFilter (node labels differ per exporter, so nodes are always matched here).
 * Fields an item does not have (a node has no namespace) are only checked when the filter names them.
 */
export function matchesInfra(
  filter: InfraFilter,
  item: {
    readonly cluster: string;
    readonly node?: string;
    readonly namespace?: string;
    readonly pod?: string;
  },
): boolean {
  return (
    allows(filter.clusters, item.cluster) &&
    allows(filter.nodes, item.node) &&
    allows(filter.namespaces, item.namespace) &&
    allows(filter.pods, item.pod)
  );
}
