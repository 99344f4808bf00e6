import { podGpuRequests } from './gpu-requests.prometheus';
import { podGpuRequestsQuery } from './gpu-requests.queries';
import { eq } from '@kcloud/prometheus';

describe('pod GPU requests (kube-state-metrics)', () => {
  it('asks for running pods only, NVIDIA whole GPUs and MIG slices, within the cluster scope', () => {
    expect(podGpuRequestsQuery([eq('cluster', 'a"b')])).toBe(
      'sum by (namespace, pod, node, resource) ((kube_pod_container_resource_requests{cluster="a\\"b", ' +
        'resource=~"nvidia_com_gpu|nvidia_com_mig_.+"}) and on (namespace, pod, uid) ' +
        '((kube_pod_status_phase{cluster="a\\"b", phase="Running"}) == (1)))',
    );
  });

  it('reads one request per pod and resource, dropping non-requests', () => {
    const s = (labels: Record<string, string>, value: number) => ({ labels, value, timestampMs: 0 });
    expect(
      podGpuRequests('c', [
        s({ namespace: 'ns', pod: 'p', node: 'n1', resource: 'nvidia_com_gpu' }, 2),
        s({ namespace: 'ns', pod: 'q', resource: 'nvidia_com_mig_1g_10gb' }, 1),
        s({ namespace: 'ns', pod: 'z', resource: 'nvidia_com_gpu' }, 0),
        s({ namespace: 'ns', pod: 'nan', resource: 'nvidia_com_gpu' }, NaN),
        s({ pod: 'no-ns', resource: 'nvidia_com_gpu' }, 1),
      ]),
    ).toEqual([
      { cluster: 'c', namespace: 'ns', pod: 'p', node: 'n1', resource: 'nvidia_com_gpu', count: 2 },
      {
        cluster: 'c',
        namespace: 'ns',
        pod: 'q',
        node: undefined,
        resource: 'nvidia_com_mig_1g_10gb',
        count: 1,
      },
    ]);
  });
});
