import { FleetModel, type Scenario } from '@kcloud/fleet-model';
import { SimulatedGpuRequests } from './gpu-requests.simulated';

const scenario: Scenario = {
  seed: 3,
  clusters: [
    {
      name: 'a',
      nodes: [
        {
          name: 'n1',
          gpuModel: 'NVIDIA A100 80GB PCIe',
          gpus: [
            { pattern: 'training', namespace: 'ml', pod: 'big-0' },
            { pattern: 'training', namespace: 'ml', pod: 'big-0' },
            { pattern: 'unallocated' },
            {
              mig: [
                { profile: '1g.10gb', instanceId: 1, pattern: 'notebook', namespace: 'r', pod: 'nb-0' },
                { profile: '1g.10gb', instanceId: 2, pattern: 'notebook', namespace: 'r', pod: 'nb-0' },
              ],
            },
          ],
        },
      ],
    },
    {
      name: 'b',
      nodes: [{ name: 'n2', gpuModel: 'NVIDIA A100 80GB PCIe', gpus: [{ pattern: 'inference' }] }],
    },
  ],
};

describe('SimulatedGpuRequests', () => {
  it('sums each running pod’s NVIDIA requests per resource, named as kube-state-metrics labels them', async () => {
    const { items, failures } = await new SimulatedGpuRequests(new FleetModel(scenario)).podGpuRequests([
      'a',
    ]);
    expect(failures).toEqual([]);
    expect(items).toEqual([
      { cluster: 'a', namespace: 'ml', pod: 'big-0', node: 'n1', resource: 'nvidia_com_gpu', count: 2 },
      { cluster: 'a', namespace: 'r', pod: 'nb-0', node: 'n1', resource: 'nvidia_com_mig_1g_10gb', count: 2 },
    ]);
  });
});
