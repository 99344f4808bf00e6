import { firstN, type KubeNodeSample, type NodePowerSample } from '@kcloud/metrics-source';
import { joinNodes, toPod } from './infra-view';
import { NodePowerSource } from './models/node-power.model';

const at = new Date(0);
const kube = (node: string, capacity: [string, number][], allocatable = capacity): KubeNodeSample => ({
  cluster: 'c',
  node,
  capacity: capacity.map(([resource, count]) => ({ resource, count })),
  allocatable: allocatable.map(([resource, count]) => ({ resource, count })),
});
const power = (node: string, s: Partial<NodePowerSample>): NodePowerSample => ({
  cluster: 'c',
  node,
  observedAt: at,
  ...s,
});

describe('joinNodes', () => {
  it('joins kube-state-metrics and power by (cluster, node), counting GPUs (whole and MIG) and NPUs', () => {
    const [a, b, k] = firstN(
      joinNodes(
        [
          kube(
            'a',
            [
              ['nvidia_com_gpu', 6],
              ['nvidia_com_mig_1g_10gb', 2],
              ['cpu', 64],
            ],
            [['nvidia_com_gpu', 5]],
          ),
          kube('b', [['furiosa_ai_rngd', 4]]),
        ],
        [
          power('a', {
            serverInputWatts: 3000,
            platformWatts: 2990,
            cpuPackageWatts: 200,
            dramWatts: 40,
            gpuWatts: 2400,
          }),
          power('k', { cpuPackageWatts: 90, dramWatts: 10 }),
        ],
      ),
      3,
    );
    expect([a.gpuCapacity, a.gpuAllocatable, a.npuCapacity, b.npuCapacity]).toEqual([8, 5, 0, 4]);
    expect(a).toMatchObject({
      id: 'c/a',
      powerWatts: 3000,
      powerSource: NodePowerSource.IPMI_DCMI,
      power: { otherWatts: 360, serverInputWatts: 3000 },
    });
    expect(b).toMatchObject({ powerSource: NodePowerSource.NONE, powerWatts: undefined });
    // A node only Kepler knows still appears; its power is its components.
    expect(k).toMatchObject({
      name: 'k',
      powerWatts: 100,
      powerSource: NodePowerSource.KEPLER_COMPONENTS,
      capacity: [],
    });
  });

  it('prefers the platform reading over components when there is no BMC', () => {
    const [n] = joinNodes(
      [],
      [power('p', { platformWatts: 500, cpuPackageWatts: 100, dramWatts: 20, gpuWatts: 300 })],
    );
    expect(n).toMatchObject({
      powerWatts: 500,
      powerSource: NodePowerSource.KEPLER_PLATFORM,
      power: { otherWatts: 80 },
    });
  });
});

describe('toPod', () => {
  it('sums the attributed parts it has, and reports no power when Kepler has none', () => {
    expect(
      toPod({ cluster: 'c', namespace: 'ml', pod: 'p', cpuWatts: 10, gpuWatts: 300, observedAt: at }),
    ).toMatchObject({ id: 'c/ml/p', powerWatts: 310, gpuRequests: 0 });
    expect(
      toPod({ cluster: 'c', namespace: 'ml', pod: 'q', gpuRequests: 2, observedAt: at }).powerWatts,
    ).toBeUndefined();
  });
});
