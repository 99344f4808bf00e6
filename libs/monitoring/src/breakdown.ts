import {
  attributedWattsOf,
  type NodePowerSample,
  type PodPowerSample,
  wholeNodePowerOf,
} from '@kcloud/metrics-source';
import { PowerGroupBy } from './models/power-group-by.enum';

/**
 * Unified power from node and pod samples (pure). A node's power is its whole-server reading (DCMI, else Kepler
 * platform, else its components); by resource type it splits into CPU (package), DRAM, GPU, NPU and OTHER (the
 * server power no component accounts for). Namespace power is what Kepler attributes to pods.
 */
export interface GroupWatts {
  readonly key: string;
  readonly cluster?: string;
  readonly watts: number;
}

export interface PowerBreakdown {
  readonly totalWatts: number;
  readonly byCluster: readonly GroupWatts[];
  readonly byNode: readonly GroupWatts[];
  readonly byNamespace: readonly GroupWatts[];
  readonly byResourceType: readonly GroupWatts[];
  readonly nodeCount: number;
  readonly namespacesOnly: boolean;
}

export const RESOURCE_TYPES = ['CPU', 'DRAM', 'GPU', 'NPU', 'OTHER'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

class Sums {
  private readonly sums = new Map<string, { cluster?: string; watts: number }>();
  add(key: string, watts: number | undefined, cluster?: string): void {
    if (watts === undefined || !Number.isFinite(watts)) return;
    const k = cluster === undefined ? key : `${cluster}\u0000${key}`;
    const entry = this.sums.get(k) ?? { cluster, watts: 0 };
    entry.watts += watts;
    this.sums.set(k, entry);
  }
  groups(): GroupWatts[] {
    return [...this.sums]
      .map(([k, v]) => ({
        key: v.cluster === undefined ? k : k.slice(v.cluster.length + 1),
        ...(v.cluster === undefined ? {} : { cluster: v.cluster }),
        watts: v.watts,
      }))
      .sort(
        (a, b) =>
          b.watts - a.watts || a.key.localeCompare(b.key) || (a.cluster ?? '').localeCompare(b.cluster ?? ''),
      );
  }
}

const podWatts = (p: PodPowerSample): number | undefined =>
  p.cpuWatts === undefined && p.dramWatts === undefined && p.gpuWatts === undefined
    ? undefined
    : (p.cpuWatts ?? 0) + (p.dramWatts ?? 0) + (p.gpuWatts ?? 0);

/** What both views add up: the total, and the sums by cluster, node and resource type. */
class Tally {
  total = 0;
  readonly byCluster = new Sums();
  readonly byNode = new Sums();
  readonly byType = new Sums();

  /** Adds one source's watts (a node's whole power, or a pod's attributed power) to the total and its groups. */
  add(cluster: string, node: string | undefined, watts: number): void {
    this.total += watts;
    this.byCluster.add(cluster, watts);
    if (node) this.byNode.add(node, watts, cluster);
  }

  breakdown(pods: readonly PodPowerSample[], nodeCount: number, namespacesOnly: boolean): PowerBreakdown {
    return {
      totalWatts: this.total,
      byCluster: this.byCluster.groups(),
      byNode: this.byNode.groups(),
      byNamespace: namespaceGroups(pods),
      byResourceType: this.byType.groups(),
      nodeCount,
      namespacesOnly,
    };
  }
}

/** Whole-fleet view: every node's power, namespaces from Kepler's pod attribution. */
export function breakdownFromNodes(
  nodes: readonly NodePowerSample[],
  pods: readonly PodPowerSample[],
): PowerBreakdown {
  const t = new Tally();
  let counted = 0;
  for (const n of nodes) {
    const whole = wholeNodePowerOf(n);
    if (!whole) continue;
    counted++;
    t.add(n.cluster, n.node, whole.watts);
    t.byType.add('CPU', n.cpuPackageWatts);
    t.byType.add('DRAM', n.dramWatts);
    t.byType.add('GPU', n.gpuWatts);
    t.byType.add('NPU', n.npuWatts);
    t.byType.add('OTHER', whole.watts - (attributedWattsOf(n) ?? 0));
  }
  return t.breakdown(pods, counted, false);
}

/** Tenant view: only what Kepler attributes to the pods in view (a namespace filter, or a namespace-scoped caller). */
export function breakdownFromPods(pods: readonly PodPowerSample[]): PowerBreakdown {
  const t = new Tally();
  const nodes = new Set<string>();
  for (const p of pods) {
    const watts = podWatts(p);
    if (watts === undefined) continue;
    t.add(p.cluster, p.node, watts);
    if (p.node) nodes.add(`${p.cluster}/${p.node}`);
    t.byType.add('CPU', p.cpuWatts);
    t.byType.add('DRAM', p.dramWatts);
    t.byType.add('GPU', p.gpuWatts);
  }
  return t.breakdown(pods, nodes.size, true);
}

function namespaceGroups(pods: readonly PodPowerSample[]): GroupWatts[] {
  const sums = new Sums();
  for (const p of pods) sums.add(p.namespace, podWatts(p));
  return sums.groups();
}

export function groupsOf(b: PowerBreakdown, groupBy: PowerGroupBy): readonly GroupWatts[] {
  switch (groupBy) {
    case PowerGroupBy.CLUSTER:
      return b.byCluster;
    case PowerGroupBy.NODE:
      return b.byNode;
    case PowerGroupBy.NAMESPACE:
      return b.byNamespace;
    case PowerGroupBy.RESOURCE_TYPE:
      return b.byResourceType;
  }
}
