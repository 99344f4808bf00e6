import type { ClusterRegistry } from '@kcloud/prometheus';
import { carriesLabels, type ClusterLabels, type LabelMatch } from './cluster-labels.port';

/** The registry's clusters (configured and registered at run time) and their PROMETHEUS_CLUSTERS labels. */
export class RegistryClusterLabels implements ClusterLabels {
  constructor(private readonly registry: ClusterRegistry) {}

  clustersWith(wanted: readonly LabelMatch[]): readonly string[] {
    return this.registry.names().filter((n) => carriesLabels(this.registry.labels(n), wanted));
  }
}
