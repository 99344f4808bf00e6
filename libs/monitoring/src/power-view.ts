import type { PowerGroup, PowerSummary } from './models/power-summary.model';
import type { PowerNow } from './power.service';

/** The GraphQL shape of a power snapshot (copies: cached breakdowns are shared and must not be mutated). */
export function toPowerSummary({ breakdown, observedAt }: PowerNow): PowerSummary {
  const copy = (groups: readonly PowerGroup[]): PowerGroup[] => groups.map((g) => ({ ...g }));
  return {
    totalWatts: breakdown.totalWatts,
    byCluster: copy(breakdown.byCluster),
    byNode: copy(breakdown.byNode),
    byNamespace: copy(breakdown.byNamespace),
    byResourceType: copy(breakdown.byResourceType),
    nodeCount: breakdown.nodeCount,
    namespacesOnly: breakdown.namespacesOnly,
    observedAt,
  };
}
