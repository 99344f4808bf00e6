import { carriesLabels, type ClusterLabels, type LabelMatch } from '../cluster-labels.port';

/** ClusterLabels over a fixed cluster → labels table (service and resolver specs). */
export class FakeClusterLabels implements ClusterLabels {
  constructor(private readonly labels: Readonly<Record<string, Readonly<Record<string, string>>>>) {}

  clustersWith(wanted: readonly LabelMatch[]): readonly string[] {
    return Object.keys(this.labels).filter((c) => carriesLabels(this.labels[c], wanted));
  }
}
