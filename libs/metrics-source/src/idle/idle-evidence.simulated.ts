import type { PartialResult } from '@kcloud/common';
import type { FleetModel } from '@kcloud/fleet-model';
import type { BoardEnergyReading, IdleEvidenceSource, PodOwner } from './idle-evidence.port';

/** The simulated fleet's energy counters and pod owners, as its exporters would report them. */
export class SimulatedIdleEvidence implements IdleEvidenceSource {
  constructor(private readonly model: FleetModel) {}

  boardEnergy(clusters: readonly string[] | undefined, at: Date): Promise<PartialResult<BoardEnergyReading>> {
    const boards = new Map<string, BoardEnergyReading>();
    for (const g of this.model.gpus(undefined, at.getTime())) {
      if (clusters && !clusters.includes(g.cluster)) continue;
      boards.set(`${g.cluster}\u0000${g.uuid}`, {
        cluster: g.cluster,
        uuid: g.uuid,
        energyJoules: g.energyMillijoules / 1000,
        observedAt: at,
      });
    }
    return Promise.resolve({ items: [...boards.values()], failures: [] });
  }

  podOwners(clusters: readonly string[] | undefined): Promise<PartialResult<PodOwner>> {
    const items = this.model
      .pods()
      .filter((p) => !clusters || clusters.includes(p.cluster))
      .map((p) => ({
        cluster: p.cluster,
        namespace: p.namespace,
        pod: p.name,
        ownerKind: p.ownerKind,
        ownerName: p.ownerName,
      }));
    return Promise.resolve({ items, failures: [] });
  }
}
