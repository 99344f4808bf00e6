import type { GroupWatts } from '@kcloud/monitoring';
import { type DualTable, quantityColumn, textColumn } from './dual-table';
import { JOULES_PER_KWH } from './units';

/**
 * Energy per cluster and per namespace over the report's range, as GraphQL `energy(groupBy: CLUSTER | NAMESPACE)`
 * answers for the same range and key (the same service computes both: whole-node energy by cluster, Kepler's pod
 * attribution by namespace; a namespace-scoped key sees its pods' energy only). `watts` of a group holds joules.
 */
export interface ReportEnergy {
  readonly byCluster: readonly GroupWatts[];
  readonly byNamespace: readonly GroupWatts[];
}

// Exact joules for machines: the figures equal GraphQL's to the last digit.
const energy = quantityColumn<GroupWatts>('energy_joules', 'Energy (kWh)', (g) => g.watts, {
  per: JOULES_PER_KWH,
  digits: 3,
});

export const ENERGY_BY_CLUSTER: DualTable<GroupWatts> = {
  name: 'energy_by_cluster',
  title: 'Energy by cluster',
  columns: [textColumn('cluster', 'Cluster', (g) => g.key), energy],
  note: 'Whole-node energy (IPMI DCMI input, else Kepler platform, else components), as the GraphQL energy query states it.',
};

export const ENERGY_BY_NAMESPACE: DualTable<GroupWatts> = {
  name: 'energy_by_namespace',
  title: 'Energy by namespace',
  columns: [textColumn('namespace', 'Namespace', (g) => g.key), energy],
  note: 'What Kepler attributes to the namespace’s pods (CPU, DRAM, GPU), as the GraphQL energy query states it.',
};

/** Groups of several energy reads (one per requested cluster or namespace) summed by cluster and key. */
export function mergeGroups(reads: readonly (readonly GroupWatts[])[]): GroupWatts[] {
  const sums = new Map<string, GroupWatts>();
  for (const g of reads.flat()) {
    const k = `${g.cluster ?? ''}\u0000${g.key}`;
    const prev = sums.get(k);
    sums.set(k, { ...g, watts: (prev?.watts ?? 0) + g.watts });
  }
  return [...sums.values()].sort((a, b) => b.watts - a.watts || a.key.localeCompare(b.key));
}
