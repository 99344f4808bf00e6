import {
  gpuKey,
  type GpuSample,
  type KubeNodeSample,
  type NpuSample,
  type PodPowerSample,
} from '@kcloud/metrics-source';
import {
  type ClusterTopology,
  type TopologyDevice,
  TopologyDeviceKind,
  type TopologyNode,
} from './models/topology.model';

/**
 * cluster → nodes → devices → pods (pure). Nodes are the union of what kube-state-metrics and the accelerator
 * exporters report; a device's pod is the tenant its exporter names; a pod's devices are the ones naming it.
 */
export function buildTopology(
  cluster: string,
  kubeNodes: readonly KubeNodeSample[],
  gpus: readonly GpuSample[],
  npus: readonly NpuSample[],
  pods: readonly PodPowerSample[],
): ClusterTopology {
  const nodes = new Map<string, TopologyNode>();
  const nodeOf = (name: string): TopologyNode => {
    let n = nodes.get(name);
    if (!n) nodes.set(name, (n = { name, devices: [], pods: [] }));
    return n;
  };
  for (const k of kubeNodes) nodeOf(k.node);
  const podRef = (d: { namespace?: string; pod?: string }) =>
    d.namespace && d.pod ? { namespace: d.namespace, name: d.pod } : undefined;
  for (const g of gpus)
    nodeOf(g.node).devices.push({
      id: gpuKey(g),
      kind: TopologyDeviceKind.GPU,
      model: g.model,
      index: g.index,
      pod: podRef(g),
    });
  for (const c of npus)
    nodeOf(c.node).devices.push({
      id: c.uuid,
      kind: TopologyDeviceKind.NPU,
      model: c.model,
      index: c.index,
      pod: podRef(c),
    });

  // Devices by the pod holding them, keyed node/namespace/pod, with the parts kept beside the key.
  const holders = new Map<
    string,
    { node: string; namespace: string; name: string; devices: TopologyDevice[] }
  >();
  for (const n of nodes.values())
    for (const d of n.devices)
      if (d.pod) {
        const key = `${n.name}/${d.pod.namespace}/${d.pod.name}`;
        const holder = holders.get(key) ?? { node: n.name, ...d.pod, devices: [] };
        holder.devices.push(d);
        holders.set(key, holder);
      }
  const placed = new Set<string>();
  for (const p of pods) {
    if (!p.node) continue;
    const key = `${p.node}/${p.namespace}/${p.pod}`;
    placed.add(key);
    nodeOf(p.node).pods.push({
      name: p.pod,
      namespace: p.namespace,
      phase: p.phase,
      deviceIds: (holders.get(key)?.devices ?? []).map((d) => d.id),
    });
  }
  // A device's tenant that kube-state-metrics does not list (yet) is still a pod on that node.
  for (const [key, { node, namespace, name, devices }] of holders) {
    if (placed.has(key)) continue;
    nodeOf(node).pods.push({ name, namespace, deviceIds: devices.map((d) => d.id) });
  }
  const sorted = [...nodes.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const n of sorted) {
    n.devices.sort((a, b) => a.kind.localeCompare(b.kind) || a.index - b.index || a.id.localeCompare(b.id));
    n.pods.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  }
  return { cluster, nodes: sorted };
}

const NPU_RESOURCE = /^(furiosa_ai|rebellions_ai)_/;
const GPU_RESOURCE = /^nvidia_com_(gpu$|mig_)/;

export function countResources(nodes: readonly KubeNodeSample[], pick: 'npu' | 'gpuAllocatable'): number {
  const pattern = pick === 'npu' ? NPU_RESOURCE : GPU_RESOURCE;
  return nodes
    .flatMap((n) => (pick === 'npu' ? n.capacity : n.allocatable))
    .filter((r) => pattern.test(r.resource))
    .reduce((sum, r) => sum + r.count, 0);
}

/** Physical GPUs: MIG instances of one board count once. */
export const physicalGpuCount = (gpus: readonly GpuSample[]): number => new Set(gpus.map((g) => g.uuid)).size;
