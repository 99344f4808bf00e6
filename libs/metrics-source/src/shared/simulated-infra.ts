import type { PartialResult } from '@kcloud/common';
import { fleetPower, type FleetModel, type SimNodePower } from '@kcloud/fleet-model';
import { matchesNothing } from './device-filter';
import { type InfraFilter, matchesInfra } from './infra-filter';

/** The simulated clusters an InfraFilter selects (none when the filter matches nothing). */
export function simulatedClusters(model: FleetModel, filter: InfraFilter): string[] {
  if (matchesNothing(filter)) return [];
  return model.clusters().filter((c) => !filter.clusters || filter.clusters.includes(c));
}

/** Every selected node's simulated power at `at`. */
export function simulatedNodes(model: FleetModel, filter: InfraFilter, at: number): SimNodePower[] {
  return simulatedClusters(model, filter).flatMap((c) => fleetPower(model).nodePowersAt(c, at));
}

/** The InfraFilter applied in memory, as the Prometheus adapters apply it after their joins. */
export function filteredInfra<
  T extends {
    readonly cluster: string;
    readonly node?: string;
    readonly namespace?: string;
    readonly pod?: string;
  },
>(filter: InfraFilter, items: T[]): PartialResult<T> {
  return { items: matchesNothing(filter) ? [] : items.filter((i) => matchesInfra(filter, i)), failures: [] };
}
