import { aggregate, binary, eq, type Matcher, num, type PromQL, re, selector } from '@kcloud/prometheus';
import { NVIDIA_GPU_RESOURCE_REGEX } from './gpu-requests.port';

/**
 * `sum by (namespace, pod, node, resource) (requests{resource=~"nvidia…"} and on (namespace, pod, uid)
 * (kube_pod_status_phase{phase="Running"} == 1))`: requests are emitted for pods in any phase (METRICS.md §7), and
 * only a running pod holds its GPUs.
 */
export function podGpuRequestsQuery(matchers: readonly Matcher[]): PromQL {
  const requests = selector('kube_pod_container_resource_requests', [
    ...matchers,
    re('resource', NVIDIA_GPU_RESOURCE_REGEX),
  ]);
  const running = binary(
    selector('kube_pod_status_phase', [...matchers, eq('phase', 'Running')]),
    '==',
    num(1),
  );
  return aggregate(
    'sum',
    ['namespace', 'pod', 'node', 'resource'],
    binary(requests, 'and', running, { on: ['namespace', 'pod', 'uid'] }),
  );
}
