import { narrow, type TenantScope } from '@kcloud/common';
import { type InfraFilter, type LabelMatch, selectClusters } from '@kcloud/metrics-source';

export interface PowerQuery {
  readonly cluster?: string;
  /** Cluster labels to match; resolved into `labelledClusters` at the resolver (ClusterLabelResolution). */
  readonly clusterLabels?: readonly LabelMatch[];
  /** The clusters `clusterLabels` selected; absent when the query names no labels (empty: none matched). */
  readonly labelledClusters?: readonly string[];
  readonly node?: string;
  readonly namespace?: string;
}

/**
 * The caller's filter ∩ scope. `tenantOnly` when a namespace is asked for or the caller is namespace-scoped: then
 * only power attributed to those namespaces' pods is counted (a tenant never sees the rest of a node's power).
 */
export function powerFilter(
  q: PowerQuery,
  scope: TenantScope,
): { readonly filter: InfraFilter; readonly tenantOnly: boolean; readonly empty: boolean } {
  const one = (v: string | undefined): readonly string[] | undefined => (v === undefined ? undefined : [v]);
  const clusters = selectClusters(q.cluster, q.labelledClusters, scope.clusters);
  const namespaces = narrow(one(q.namespace), scope.namespaces);
  const filter: { clusters?: readonly string[]; nodes?: readonly string[]; namespaces?: readonly string[] } =
    {};
  if (clusters) filter.clusters = clusters;
  if (q.node !== undefined) filter.nodes = [q.node];
  if (namespaces) filter.namespaces = namespaces;
  return {
    filter,
    tenantOnly: namespaces !== undefined,
    empty: clusters?.length === 0 || namespaces?.length === 0,
  };
}

export const cacheKey = (prefix: string, ...parts: readonly unknown[]): string =>
  `${prefix}:${JSON.stringify(parts)}`;
