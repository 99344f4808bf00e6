import type { GpuSample, KubeNodeSample, NpuSample, PodPowerSample } from '@kcloud/metrics-source';
import { TopologyDeviceKind, type TopologyNode } from './models/topology.model';
import { buildTopology, countResources, physicalGpuCount } from './topology';

const at = new Date(0);
const kube = (node: string, resources: [string, number][] = []): KubeNodeSample => ({
  cluster: 'c',
  node,
  capacity: resources.map(([resource, count]) => ({ resource, count })),
  allocatable: resources.map(([resource, count]) => ({ resource, count })),
});
const gpu = (node: string, uuid: string, index: number, pod?: string, mig?: string): GpuSample => ({
  cluster: 'c',
  node,
  uuid,
  index,
  model: 'H100',
  migInstanceId: mig,
  namespace: pod && 'ml',
  pod,
  observedAt: at,
});

describe('buildTopology', () => {
  const npu: NpuSample = {
    cluster: 'c',
    node: 'n2',
    uuid: 'NPU-1',
    vendor: 'furiosa',
    model: 'RNGD',
    device: 'npu0',
    index: 0,
    namespace: 'serve',
    pod: 'llm',
    observedAt: at,
  };
  const pods: PodPowerSample[] = [
    { cluster: 'c', namespace: 'ml', pod: 'train', node: 'n1', phase: 'Running', observedAt: at },
    { cluster: 'c', namespace: 'web', pod: 'nginx', node: 'n1', observedAt: at },
  ];
  const topology = buildTopology(
    'c',
    [kube('n1'), kube('n2')],
    [gpu('n1', 'G1', 1, 'train'), gpu('n1', 'G0', 0), gpu('n1', 'G2', 2, 'train', '3')],
    [npu],
    pods,
  );

  it('nests devices and pods under their nodes, a pod listing the devices it holds', () => {
    expect(topology.nodes.map((n) => n.name)).toEqual(['n1', 'n2']);
    const [n1, n2] = topology.nodes as [TopologyNode, TopologyNode];
    expect(n1.devices.map((d) => [d.id, d.kind, d.pod?.name ?? null])).toEqual([
      ['G0', TopologyDeviceKind.GPU, null],
      ['G1', TopologyDeviceKind.GPU, 'train'],
      ['G2/3', TopologyDeviceKind.GPU, 'train'],
    ]);
    expect(n1.pods).toEqual([
      { name: 'train', namespace: 'ml', phase: 'Running', deviceIds: ['G1', 'G2/3'] },
      { name: 'nginx', namespace: 'web', phase: undefined, deviceIds: [] },
    ]);
    // A device's tenant that kube-state-metrics does not list is still shown as a pod.
    expect(n2.pods).toEqual([{ name: 'llm', namespace: 'serve', deviceIds: ['NPU-1'] }]);
  });

  it('counts physical GPUs once per board and NPUs / allocatable GPUs from the device plugins', () => {
    expect(
      physicalGpuCount([
        gpu('n', 'A', 0, undefined, '1'),
        gpu('n', 'A', 0, undefined, '2'),
        gpu('n', 'B', 1),
      ]),
    ).toBe(2);
    const nodes = [
      kube('a', [
        ['furiosa_ai_rngd', 2],
        ['nvidia_com_gpu', 4],
        ['nvidia_com_mig_1g_10gb', 3],
      ]),
      kube('b', [
        ['rebellions_ai_ATOM', 1],
        ['cpu', 64],
      ]),
    ];
    expect(countResources(nodes, 'npu')).toBe(3);
    expect(countResources(nodes, 'gpuAllocatable')).toBe(7);
  });
});
