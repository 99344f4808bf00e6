import type { FleetModel } from '@kcloud/fleet-model';
import type { ClusterLabels, LabelMatch } from './cluster-labels.port';

/** The simulated fleet's clusters carry no labels: asking for any label selects none. */
export class SimulatedClusterLabels implements ClusterLabels {
  constructor(private readonly model: FleetModel) {}

  clustersWith(wanted: readonly LabelMatch[]): readonly string[] {
    return wanted.length ? [] : this.model.clusters();
  }
}
