import type { ClusterState } from './build';
import { GPU_RESOURCE, migResourceName } from './gpu-models';
import { objectUid, podIp } from './identity';
import { ownerOf } from './tenants';
import type { SimContainerRequest, SimPod, SimTenant } from './types';

/**
 * Pods are derived from device tenancy: every (namespace, pod) that holds a GPU or MIG instance is one running pod
 * on that device's node, requesting what it holds. A GPU that disappears takes its share of the request with it.
 */
export function derivePods(seed: string, cluster: ClusterState): SimPod[] {
  const pods = new Map<string, MutablePod>();
  for (const node of cluster.nodes) {
    const claim = (tenant: SimTenant | undefined, resource: string): void => {
      if (!tenant) return;
      const id = `${tenant.namespace}/${tenant.pod}`;
      let pod = pods.get(id);
      if (!pod) {
        pod = {
          node: node.name,
          nodeIndex: node.index,
          hostIp: node.internalIp,
          tenant,
          requests: new Map(),
        };
        pods.set(id, pod);
      } else if (pod.node !== node.name) {
        throw new PodPlacementError(cluster.name, id, pod.node, node.name);
      }
      const key = `${tenant.container}\u0000${resource}`;
      const request = pod.requests.get(key);
      pod.requests.set(key, { container: tenant.container, resource, count: (request?.count ?? 0) + 1 });
    };
    for (const gpu of node.gpus) {
      if (gpu.mig) for (const slot of gpu.mig) claim(slot.tenant, migResourceName(slot.profile.name));
      else claim(gpu.tenant, GPU_RESOURCE);
    }
  }
  return [...pods.values()].map((p) => toSimPod(seed, cluster, p));
}

interface MutablePod {
  readonly node: string;
  readonly nodeIndex: number;
  readonly hostIp: string;
  readonly tenant: SimTenant;
  /** By `container NUL resource`. */
  readonly requests: Map<string, SimContainerRequest>;
}

function toSimPod(seed: string, cluster: ClusterState, p: MutablePod): SimPod {
  const requests = [...p.requests.values()];
  const owner = ownerOf(p.tenant.pod);
  return {
    cluster: cluster.name,
    node: p.node,
    namespace: p.tenant.namespace,
    name: p.tenant.pod,
    uid: objectUid(seed, 'pod', cluster.name, p.tenant.namespace, p.tenant.pod),
    container: p.tenant.container,
    gpuRequests: requests.filter((r) => r.resource === GPU_RESOURCE).reduce((sum, r) => sum + r.count, 0),
    phase: 'Running',
    requests,
    hostIp: p.hostIp,
    podIp: podIp(cluster.index, p.nodeIndex, `${p.tenant.namespace}/${p.tenant.pod}`),
    ownerKind: owner.kind,
    ownerName: owner.name,
  };
}

/** A pod name reused on two nodes: impossible in Kubernetes, so the scenario or control call is rejected. */
export class PodPlacementError extends Error {
  constructor(cluster: string, pod: string, first: string, second: string) {
    super(`pod ${pod} in cluster ${cluster} would run on two nodes (${first} and ${second})`);
    this.name = 'PodPlacementError';
  }
}
