import { Inject, Injectable } from '@nestjs/common';
import { CLUSTER_LABELS, type ClusterLabels, type LabelMatch } from './cluster-labels.port';

/**
 * Turns a filter's `clusterLabels` into the cluster names they select (`labelledClusters`), once per request at the
 * resolver, so services and cache keys see plain cluster names. A filter without labels is returned as it is.
 */
@Injectable()
export class ClusterLabelResolution {
  constructor(@Inject(CLUSTER_LABELS) private readonly labels: ClusterLabels) {}

  resolve<Q extends { readonly clusterLabels?: readonly LabelMatch[] }>(
    query: Q,
  ): Q & { readonly labelledClusters?: readonly string[] } {
    if (!query.clusterLabels?.length) return query;
    return { ...query, labelledClusters: this.labels.clustersWith(query.clusterLabels) };
  }
}
