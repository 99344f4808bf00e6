import { FleetModelError } from './errors';
import { objectUid, podIp } from './identity';
import type { NpuNodeState } from './npu';
import { ownerOf } from './tenants';
import type { SimContainerRequest, SimNode, SimPod } from './types';

/**
 * What NPU cards add to the Kubernetes view of one cluster: the device plugin's extended resources on their nodes, and
 * NPU-only nodes (no GPUs) after the cluster's GPU nodes.
 */
export function withNpuNodes(nodes: readonly SimNode[], npuNodes: readonly NpuNodeState[]): SimNode[] {
  const byName = new Map(npuNodes.map((n) => [n.name, n]));
  const merged = nodes.map((node) => {
    const npu = byName.get(node.name);
    if (!npu) return node;
    const resources = npuResources(npu);
    return {
      ...node,
      capacity: [...node.capacity, ...resources],
      allocatable: [...node.allocatable, ...resources],
      npuCount: npu.npus.length,
      npuModel: npu.model.name,
    };
  });
  const only = npuNodes
    .filter((n) => !n.gpuNode)
    .map(
      (n): SimNode => ({
        cluster: n.cluster,
        name: n.name,
        gpuCount: 0,
        gpuModel: '',
        internalIp: n.internalIp,
        systemUuid: n.systemUuid,
        podCidr: n.podCidr,
        capacity: npuResources(n),
        allocatable: npuResources(n),
        npuCount: n.npus.length,
        npuModel: n.model.name,
      }),
    );
  return [...merged, ...only];
}

function npuResources(n: NpuNodeState): { resource: string; count: number }[] {
  return n.npus.length ? [{ resource: n.model.resource, count: n.npus.length }] : [];
}

/**
 * The cluster's pods with the NPU holders added. A pod that already holds GPUs on the same node gets the card
 * request added; the same pod name on another node is impossible in Kubernetes and rejected.
 */
export function withNpuPods(
  seed: string,
  cluster: string,
  pods: readonly SimPod[],
  npuNodes: readonly NpuNodeState[],
): SimPod[] {
  const out = new Map(pods.map((p) => [`${p.namespace}/${p.name}`, p]));
  for (const node of npuNodes) {
    if (node.cluster !== cluster) continue;
    for (const npu of node.npus) {
      const t = npu.tenant;
      if (!t) continue;
      const id = `${t.namespace}/${t.pod}`;
      const pod = out.get(id) ?? newPod(seed, node, t.namespace, t.pod, t.container);
      if (pod.node !== node.name)
        throw new FleetModelError(
          'BAD_USER_INPUT',
          `pod ${id} in cluster ${cluster} would run on two nodes (${pod.node} and ${node.name})`,
        );
      out.set(id, { ...pod, requests: addRequest(pod.requests, t.container, node.model.resource) });
    }
  }
  return [...out.values()];
}

function addRequest(
  requests: readonly SimContainerRequest[],
  container: string,
  resource: string,
): SimContainerRequest[] {
  const found = requests.find((r) => r.container === container && r.resource === resource);
  if (!found) return [...requests, { container, resource, count: 1 }];
  return requests.map((r) => (r === found ? { ...r, count: r.count + 1 } : r));
}

function newPod(
  seed: string,
  node: NpuNodeState,
  namespace: string,
  name: string,
  container: string,
): SimPod {
  const owner = ownerOf(name);
  return {
    cluster: node.cluster,
    node: node.name,
    namespace,
    name,
    uid: objectUid(seed, 'pod', node.cluster, namespace, name),
    container,
    gpuRequests: 0,
    phase: 'Running',
    requests: [],
    hostIp: node.internalIp,
    podIp: podIp(node.clusterIndex, node.nodeIndex, `${namespace}/${name}`),
    ownerKind: owner.kind,
    ownerName: owner.name,
  };
}
