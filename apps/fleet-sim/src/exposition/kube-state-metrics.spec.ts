import { defaultScenario, FleetModel } from '@kcloud/fleet-model';

import { renderKubeStateMetrics, sanitizeResourceName } from './kube-state-metrics';

describe('kube-state-metrics exposition', () => {
  const model = new FleetModel(defaultScenario());
  const text = renderKubeStateMetrics(model.nodes('kcloud-east'), model.pods('kcloud-east'));
  const lines = (metric: string): string[] => text.split('\n').filter((l) => l.startsWith(`${metric}{`));

  it.each([
    ['nvidia.com/gpu', 'nvidia_com_gpu'],
    ['nvidia.com/mig-1g.10gb', 'nvidia_com_mig_1g_10gb'],
    ['furiosa.ai/rngd', 'furiosa_ai_rngd'],
    ['rebellions.ai/ATOM', 'rebellions_ai_ATOM'],
  ])('sanitises resource %s as %s', (resource, label) => {
    expect(sanitizeResourceName(resource)).toBe(label);
  });

  it('reports GPU requests per container with the pod’s node, in kube-state-metrics label order', () => {
    const pod = model.pods('kcloud-east').find((p) => p.name === 'llm-pretrain-0')!;
    expect(lines('kube_pod_container_resource_requests')).toContain(
      `kube_pod_container_resource_requests{namespace="ml-training",pod="llm-pretrain-0",uid="${pod.uid}",container="trainer",node="east-gpu-01",resource="nvidia_com_gpu",unit="integer"} 4`,
    );
    expect(
      lines('kube_pod_container_resource_requests').some((l) =>
        l.includes('resource="nvidia_com_mig_3g_40gb"'),
      ),
    ).toBe(true);
  });

  it('emits one phase series per phase with exactly one set to 1', () => {
    const pods = model.pods('kcloud-east');
    const phases = lines('kube_pod_status_phase');
    expect(phases).toHaveLength(pods.length * 5);
    expect(phases.filter((l) => l.endsWith(' 1'))).toHaveLength(pods.length);
    expect(phases.filter((l) => l.endsWith(' 1')).every((l) => l.includes('phase="Running"'))).toBe(true);
  });

  it('places every pod on its node in kube_pod_info and counts node GPUs in capacity/allocatable', () => {
    expect(lines('kube_pod_info')).toHaveLength(model.pods('kcloud-east').length);
    expect(lines('kube_pod_info')[0]).toMatch(
      /^kube_pod_info\{namespace="[^"]+",pod="[^"]+",uid="[^"]+",host_ip="10\.\d+\.\d+\.\d+",pod_ip="100\.\d+\.\d+\.\d+",node="east-gpu-0\d",created_by_kind="\w*",created_by_name="[^"]*",priority_class="",host_network="false"\} 1$/,
    );
    expect(lines('kube_node_status_capacity')).toContain(
      'kube_node_status_capacity{node="east-gpu-01",resource="nvidia_com_gpu",unit="integer"} 8',
    );
    expect(lines('kube_node_status_allocatable')).toContain(
      'kube_node_status_allocatable{node="east-gpu-02",resource="nvidia_com_mig_1g_10gb",unit="integer"} 2',
    );
    expect(lines('kube_node_info')).toHaveLength(3);
  });
});
