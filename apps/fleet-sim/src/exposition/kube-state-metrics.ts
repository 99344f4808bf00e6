import type { SimNode, SimPod } from '@kcloud/fleet-model';

import { familyHeader, labelSet } from './text-format';

/**
 * The kube-state-metrics families the backend joins on (METRICS.md §7): node facts and GPU capacity, pod placement,
 * phase and GPU requests. Label order as kube-state-metrics prints it: its default labels first (pods: namespace,
 * pod, uid; nodes: node), then the family's own. Node families come before pod families, as in a real scrape (stores
 * are rendered per resource).
 */

/** Node facts kube-state-metrics would read from NodeSystemInfo; constant across the simulated fleet. */
const NODE_SYSTEM = {
  kernelVersion: '5.15.0-1063-nvidia',
  osImage: 'Ubuntu 22.04.5 LTS',
  containerRuntimeVersion: 'containerd://1.7.27',
  kubeletVersion: 'v1.31.6',
} as const;

/** Order of kube_pod_status_phase series in kube-state-metrics' pod store. */
const PHASES = ['Pending', 'Succeeded', 'Failed', 'Running', 'Unknown'] as const;

/** kube-state-metrics' SanitizeLabelName: every char outside [a-zA-Z0-9_] becomes `_` (`nvidia.com/gpu` → `nvidia_com_gpu`). */
export function sanitizeResourceName(resource: string): string {
  return resource.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** Extended resources are counted in `integer` units (cpu would be `core`, memory `byte`). */
const UNIT = 'integer';

export function renderKubeStateMetrics(nodes: readonly SimNode[], pods: readonly SimPod[]): string {
  const lines: string[] = [];
  const family = (name: string, help: string, rows: readonly string[]): void => {
    lines.push(familyHeader(name, help, 'gauge'));
    for (const row of rows) lines.push(row);
  };

  family(
    'kube_node_info',
    '[STABLE] Information about a cluster node.',
    nodes.map(
      (n) =>
        `kube_node_info${labelSet([
          ['node', n.name],
          ['kernel_version', NODE_SYSTEM.kernelVersion],
          ['os_image', NODE_SYSTEM.osImage],
          ['container_runtime_version', NODE_SYSTEM.containerRuntimeVersion],
          ['kubelet_version', NODE_SYSTEM.kubeletVersion],
          ['kubeproxy_version', 'deprecated'],
          ['provider_id', ''],
          ['pod_cidr', n.podCidr],
          ['system_uuid', n.systemUuid],
          ['internal_ip', n.internalIp],
        ])} 1`,
    ),
  );
  const resourceRows = (metric: string, pick: (n: SimNode) => SimNode['capacity']): string[] =>
    nodes.flatMap((n) =>
      pick(n).map(
        (r) =>
          `${metric}${labelSet([
            ['node', n.name],
            ['resource', sanitizeResourceName(r.resource)],
            ['unit', UNIT],
          ])} ${r.count}`,
      ),
    );
  family(
    'kube_node_status_allocatable',
    '[STABLE] The allocatable for different resources of a node that are available for scheduling.',
    resourceRows('kube_node_status_allocatable', (n) => n.allocatable),
  );
  family(
    'kube_node_status_capacity',
    '[STABLE] The capacity for different resources of a node.',
    resourceRows('kube_node_status_capacity', (n) => n.capacity),
  );

  family(
    'kube_pod_container_resource_requests',
    'The number of requested request resource by a container. It is recommended to use the kube_pod_resource_requests metric exposed by kube-scheduler instead, as it is more precise.',
    pods.flatMap((p) =>
      p.requests.map(
        (r) =>
          `kube_pod_container_resource_requests${labelSet([
            ['namespace', p.namespace],
            ['pod', p.name],
            ['uid', p.uid],
            ['container', r.container],
            ['node', p.node],
            ['resource', sanitizeResourceName(r.resource)],
            ['unit', UNIT],
          ])} ${r.count}`,
      ),
    ),
  );
  family(
    'kube_pod_info',
    '[STABLE] Information about pod.',
    pods.map(
      (p) =>
        `kube_pod_info${labelSet([
          ['namespace', p.namespace],
          ['pod', p.name],
          ['uid', p.uid],
          ['host_ip', p.hostIp],
          ['pod_ip', p.podIp],
          ['node', p.node],
          ['created_by_kind', p.ownerKind],
          ['created_by_name', p.ownerName],
          ['priority_class', ''],
          ['host_network', 'false'],
        ])} 1`,
    ),
  );
  family(
    'kube_pod_status_phase',
    '[STABLE] The pods current phase.',
    pods.flatMap((p) =>
      PHASES.map(
        (phase) =>
          `kube_pod_status_phase${labelSet([
            ['namespace', p.namespace],
            ['pod', p.name],
            ['uid', p.uid],
            ['phase', phase],
          ])} ${phase === p.phase ? 1 : 0}`,
      ),
    ),
  );
  return `${lines.join('\n')}\n`;
}
