import { aggregate, type Matcher, type PromQL, selector } from '@kcloud/prometheus';
import type { PromSample } from '../shared/prom-sample';
import { PART, tag, union } from './power-promql';
import type { KubeNodeSample } from './power.port';

/** kube-state-metrics' nodes (address, kubelet, capacity and allocatable resources): one query and its join. */
const KUBE_NODE_PARTS = { info: 'info', capacity: 'capacity', allocatable: 'allocatable' } as const;

export function kubeNodesQuery(scope: readonly Matcher[]): PromQL {
  const s = [...scope];
  return union([
    tag(
      aggregate('max', ['node', 'internal_ip', 'kubelet_version'], selector('kube_node_info', s)),
      KUBE_NODE_PARTS.info,
    ),
    tag(
      aggregate('max', ['node', 'resource'], selector('kube_node_status_capacity', s)),
      KUBE_NODE_PARTS.capacity,
    ),
    tag(
      aggregate('max', ['node', 'resource'], selector('kube_node_status_allocatable', s)),
      KUBE_NODE_PARTS.allocatable,
    ),
  ]);
}

export function joinKubeNodes(cluster: string, samples: readonly PromSample[]): KubeNodeSample[] {
  const nodes = new Map<
    string,
    {
      internalIp?: string;
      kubeletVersion?: string;
      capacity: { resource: string; count: number }[];
      allocatable: { resource: string; count: number }[];
    }
  >();
  const at = (node: string) =>
    nodes.get(node) ?? (nodes.set(node, { capacity: [], allocatable: [] }), nodes.get(node)!);
  for (const { labels: l, value } of samples) {
    if (!l.node || !Number.isFinite(value)) continue;
    const n = at(l.node);
    if (l[PART] === KUBE_NODE_PARTS.info)
      Object.assign(n, {
        internalIp: l.internal_ip || undefined,
        kubeletVersion: l.kubelet_version || undefined,
      });
    // kube-state-metrics names the resource of every capacity and allocatable series.
    else if (l.resource === undefined) continue;
    else if (l[PART] === KUBE_NODE_PARTS.capacity) n.capacity.push({ resource: l.resource, count: value });
    else if (l[PART] === KUBE_NODE_PARTS.allocatable)
      n.allocatable.push({ resource: l.resource, count: value });
  }
  const byResource = (a: { resource: string }, b: { resource: string }): number =>
    a.resource.localeCompare(b.resource);
  return [...nodes].map(([node, n]) => ({
    cluster,
    node,
    ...n,
    capacity: n.capacity.sort(byResource),
    allocatable: n.allocatable.sort(byResource),
  }));
}
