import { joinIpmiSensors } from '../ipmi/ipmi-sensors';
import { joinKubeNodes } from './kube-nodes';
import { bmcNodeOf, nodeOfLabels } from './node-identity';
import { joinNodeEnergy, joinNodePower } from './node-power-join';
import { joinContainers, joinPods } from './workload-join';
import { firstN } from '../testing/first-n';

const at = new Date(0);
const part = (kcloud_part: string, labels: Record<string, string>, value: number) => ({
  labels: { kcloud_part, ...labels },
  value,
});

describe('power joins', () => {
  it.each([
    [{ node_name: 'a' }, 'a'],
    [{ Hostname: 'b', instance: '10.0.0.1:9400' }, 'b'],
    [{ hostname: 'c' }, 'c'],
    [{ exported_instance: 'd', instance: 'kepler:9102' }, 'd'],
    [{ instance: 'e:9290' }, 'e'],
  ])('reads the node of %j as %s', (labels, node) => {
    expect(nodeOfLabels(labels)).toBe(node);
  });

  it('maps a BMC address (with or without port) to its node, else strips the port', () => {
    const map = { '10.0.0.21': 'gpu-1' };
    expect(bmcNodeOf('10.0.0.21', map)).toBe('gpu-1');
    expect(bmcNodeOf('10.0.0.21:623', map)).toBe('gpu-1');
    expect(bmcNodeOf('gpu-2:9290', map)).toBe('gpu-2');
  });

  it('joins node parts: zones, Kepler GPU over dcgm, NPUs of both vendors, DCMI by BMC, counters, NaN dropped', () => {
    const samples = [
      part('cpu', { node_name: 'n1', zone: 'package' }, 100),
      part('cpu', { node_name: 'n1', zone: 'core' }, 70),
      part('cpu', { node_name: 'n1', zone: 'dram' }, 20),
      part('gpu', { node_name: 'n1' }, 500),
      part('dcgm_gpu', { Hostname: 'n1' }, 480),
      part('dcgm_gpu', { Hostname: 'n2' }, 300),
      part('npu_furiosa', { hostname: 'n2' }, 40),
      part('npu_rbln', { hostname: 'n2' }, 60),
      part('dcmi', { instance: '10.0.0.1' }, 900),
      part('platform', { node_name: 'n2' }, NaN),
      part('usage', { node_name: 'n1' }, 0.25),
      part('cpu_j', { node_name: 'n1', zone: 'package' }, 1000),
      part('cpu_j', { node_name: 'n1', zone: 'dram' }, 200),
      part('gpu_j', { node_name: 'n1' }, 5000),
    ];
    const [n1, n2] = firstN(joinNodePower('c', samples, { '10.0.0.1': 'n1' }, at), 2);
    expect(n1).toMatchObject({
      node: 'n1',
      cpuPackageWatts: 100,
      cpuCoreWatts: 70,
      dramWatts: 20,
      gpuWatts: 500,
      serverInputWatts: 900,
      cpuUtilizationPercent: 25,
      energyJoules: 6200,
    });
    expect(n2).toMatchObject({ node: 'n2', gpuWatts: 300, npuWatts: 100, platformWatts: undefined });
  });

  it('refuses a node component whose summed reading holds a blank or NaN, with the reason, keeping the others', () => {
    const [n1] = firstN(
      joinNodePower(
        'c',
        [
          part('dcgm_gpu', { Hostname: 'n1' }, 140737488355328 + 300),
          part('cpu', { node_name: 'n1', zone: 'package' }, 100),
          part('cpu', { node_name: 'n1', zone: 'dram' }, Number('9223372036854775807')),
          part('platform', { node_name: 'n1' }, NaN),
          part('usage', { node_name: 'n1' }, 4294967295),
        ],
        {},
        at,
      ),
      1,
    );
    expect(n1).toMatchObject({ cpuPackageWatts: 100, gpuWatts: undefined, dramWatts: undefined });
    expect(n1.invalidReadings).toEqual([
      { field: 'gpuWatts', reason: 'DCGM_BLANK' },
      { field: 'dramWatts', reason: 'DCGM_BLANK' },
      { field: 'platformWatts', reason: 'NOT_A_NUMBER' },
      { field: 'cpuUtilizationPercent', reason: 'DCGM_BLANK' },
    ]);
  });

  it('reports a refused GPU power source only when no other source gives the node its GPU power', () => {
    const [n1, n2] = firstN(
      joinNodePower(
        'c',
        [
          part('gpu', { node_name: 'n1' }, 500),
          part('dcgm_gpu', { Hostname: 'n1' }, NaN),
          part('gpu', { node_name: 'n2' }, NaN),
          part('dcgm_gpu', { Hostname: 'n2' }, 140737488355328),
        ],
        {},
        at,
      ),
      2,
    );
    expect([n1.gpuWatts, n1.invalidReadings]).toEqual([500, undefined]);
    expect([n2.gpuWatts, n2.invalidReadings]).toEqual([
      undefined,
      [{ field: 'gpuWatts', reason: 'NOT_A_NUMBER' }],
    ]);
  });

  it('judges energy as the average power over the window: a counter jump to a blank is refused', () => {
    const [n] = firstN(
      joinNodeEnergy(
        'c',
        [
          part('cpu', { node_name: 'n', zone: 'package' }, 360_000_000),
          part('cpu', { node_name: 'n', zone: 'dram' }, 3.6e22),
        ],
        {},
        3600,
      ),
      1,
    );
    expect(n.joules).toEqual({ cpuPackageWatts: 360_000_000 });
  });

  it('turns gauge averages into joules for energy and keeps counter increases as they are', () => {
    const [n] = firstN(
      joinNodeEnergy(
        'c',
        [part('cpu', { node_name: 'n', zone: 'package' }, 3600), part('dcmi', { instance: 'n:9290' }, 500)],
        {},
        60,
      ),
      1,
    );
    expect(n.joules).toEqual({ cpuPackageWatts: 3600, serverInputWatts: 30000 });
  });

  it('joins pods: kube-state-metrics placement wins, GPU requests summed, pods only Kepler or only kube-state-metrics kept', () => {
    const pods = joinPods(
      'c',
      [
        part('cpu', { pod_namespace: 'ml', pod_name: 'train', node_name: 'kepler-node' }, 10),
        part('gpu', { pod_namespace: 'ml', pod_name: 'train', node_name: 'kepler-node' }, 300),
        part('info', { namespace: 'ml', pod: 'train', uid: 'u1', node: 'n1' }, 1),
        part('phase', { namespace: 'ml', pod: 'train', phase: 'Running' }, 1),
        part('gpu_requests', { namespace: 'ml', pod: 'train' }, 2),
        part('info', { namespace: 'ml', pod: 'idle', uid: 'u2', node: 'n2' }, 1),
        part('cpu', { container_namespace: 'web', pod_name: 'nginx', instance: 'n3:9102' }, 3),
      ],
      at,
    );
    const byName = new Map(pods.map((p) => [p.pod, p]));
    expect(byName.get('train')).toMatchObject({
      node: 'n1',
      uid: 'u1',
      phase: 'Running',
      gpuRequests: 2,
      cpuWatts: 10,
      gpuWatts: 300,
    });
    expect(byName.get('idle')).toMatchObject({ node: 'n2', gpuRequests: 0 });
    expect(byName.get('idle')!.cpuWatts).toBeUndefined();
    expect(byName.get('nginx')).toMatchObject({ namespace: 'web', node: 'n3', cpuWatts: 3 });
  });

  it('names ≥0.10 containers through the pod_id map and filters by it', () => {
    const containers = joinContainers(
      'c',
      [
        part('cpu', { container_id: 'abc', container_name: 'vllm', pod_id: 'p1', node_name: 'n1' }, 5),
        part('pods', { pod_id: 'p1', pod_namespace: 'serve', pod_name: 'vllm-0' }, 1),
        part(
          'cpu',
          { container_id: 'def', container_name: 'other', pod_id: 'p-unknown', node_name: 'n1' },
          5,
        ),
        part('gpu_requests', { namespace: 'serve', pod: 'vllm-0', container: 'vllm' }, 1),
      ],
      at,
    );
    expect(containers).toEqual([
      expect.objectContaining({
        namespace: 'serve',
        pod: 'vllm-0',
        container: 'vllm',
        containerId: 'abc',
        cpuWatts: 5,
        gpuRequests: 1,
        node: 'n1',
      }),
    ]);
  });

  it('joins kube-state-metrics nodes and ipmi sensors with their states', () => {
    const [node] = joinKubeNodes('c', [
      part('info', { node: 'n1', internal_ip: '10.1.0.1', kubelet_version: 'v1.31.6' }, 1),
      part('capacity', { node: 'n1', resource: 'nvidia_com_gpu' }, 8),
      part('allocatable', { node: 'n1', resource: 'nvidia_com_gpu' }, 7),
    ]);
    expect(node).toEqual({
      cluster: 'c',
      node: 'n1',
      internalIp: '10.1.0.1',
      kubeletVersion: 'v1.31.6',
      capacity: [{ resource: 'nvidia_com_gpu', count: 8 }],
      allocatable: [{ resource: 'nvidia_com_gpu', count: 7 }],
    });
    const sensors = joinIpmiSensors(
      'c',
      [
        {
          labels: {
            __name__: 'ipmi_temperature_celsius',
            id: '18',
            name: 'Inlet Temp',
            instance: '10.0.0.1',
          },
          value: 24,
          timestampMs: 5,
        },
        {
          labels: { __name__: 'ipmi_temperature_state', id: '18', name: 'Inlet Temp', instance: '10.0.0.1' },
          value: 1,
          timestampMs: 5,
        },
        {
          labels: { __name__: 'ipmi_fan_speed_rpm', id: '12', name: 'Fan1A', instance: 'n2:9290' },
          value: 4560,
          timestampMs: 5,
        },
        {
          labels: { __name__: 'ipmi_fan_speed_state', id: '12', name: 'Fan1A', instance: 'n2:9290' },
          value: NaN,
          timestampMs: 5,
        },
        {
          labels: { __name__: 'ipmi_voltage_volts', id: '60', name: 'Broken', instance: 'n2:9290' },
          value: NaN,
          timestampMs: 5,
        },
      ],
      { '10.0.0.1': 'n1' },
    );
    expect(sensors.map((s) => [s.node, s.bmc, s.type, s.name, s.value, s.state])).toEqual([
      ['n1', '10.0.0.1', 'temperature', 'Inlet Temp', 24, 1],
      ['n2', 'n2:9290', 'fan', 'Fan1A', 4560, undefined],
      // A reading the BMC could not make is listed with a null value and the reason, not hidden.
      ['n2', 'n2:9290', 'voltage', 'Broken', undefined, undefined],
    ]);
    const [inlet, , broken] = firstN(sensors, 3);
    expect(broken.invalidReadings).toEqual([{ field: 'value', reason: 'NOT_A_NUMBER' }]);
    expect(inlet.invalidReadings).toBeUndefined();
  });
});
