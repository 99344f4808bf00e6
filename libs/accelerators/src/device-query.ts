import { narrow, type TenantScope } from '@kcloud/common';
import { type DeviceFilter, type LabelMatch, selectClusters } from '@kcloud/metrics-source';

/** Exact-match device filters as the API takes them (one value each). */
export interface GpuQuery {
  readonly cluster?: string;
  readonly node?: string;
  readonly namespace?: string;
  readonly pod?: string;
  readonly model?: string;
  readonly uuid?: string;
  /** Cluster labels to match; resolved into `labelledClusters` at the resolver (ClusterLabelResolution). */
  readonly clusterLabels?: readonly LabelMatch[];
  /** The clusters `clusterLabels` selected; absent when the query names no labels. */
  readonly labelledClusters?: readonly string[];
}

/** The source filter for a query within the caller's scope: clusters and namespaces narrowed, absent fields omitted. */
export function toDeviceFilter(q: GpuQuery, scope: TenantScope): DeviceFilter {
  const one = (v: string | undefined) => (v === undefined ? undefined : [v]);
  const filter: Record<string, readonly string[] | undefined> = {
    clusters: selectClusters(q.cluster, q.labelledClusters, scope.clusters),
    nodes: one(q.node),
    namespaces: narrow(one(q.namespace), scope.namespaces),
    pods: one(q.pod),
    models: one(q.model),
    uuids: one(q.uuid),
  };
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as DeviceFilter;
}
