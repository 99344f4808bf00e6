import type { NodePowerSample, PodPowerSample } from '@kcloud/metrics-source';
import { breakdownFromNodes, breakdownFromPods, groupsOf } from './breakdown';
import { PowerGroupBy } from './models/power-group-by.enum';

const at = new Date(0);
const node = (cluster: string, name: string, s: Partial<NodePowerSample>): NodePowerSample => ({
  cluster,
  node: name,
  observedAt: at,
  ...s,
});
const pod = (
  cluster: string,
  namespace: string,
  name: string,
  s: Partial<PodPowerSample>,
): PodPowerSample => ({ cluster, namespace, pod: name, observedAt: at, ...s });

describe('breakdownFromNodes', () => {
  const nodes = [
    // DCMI wins over Kepler's platform; OTHER is what no component accounts for.
    node('east', 'n1', {
      cpuPackageWatts: 100,
      dramWatts: 20,
      gpuWatts: 600,
      serverInputWatts: 800,
      platformWatts: 790,
    }),
    node('east', 'n2', { cpuPackageWatts: 80, dramWatts: 10, npuWatts: 50, platformWatts: 200 }),
    // Components only (no BMC, no platform reading): the node is their sum, nothing OTHER.
    node('west', 'n1', { cpuPackageWatts: 60, dramWatts: 15 }),
    // Nothing reported: not counted.
    node('west', 'n9', {}),
  ];
  const pods = [
    pod('east', 'ml', 'a', { cpuWatts: 30, dramWatts: 5, gpuWatts: 600 }),
    pod('west', 'ml', 'b', { cpuWatts: 10 }),
    pod('east', 'web', 'c', {}),
  ];
  const b = breakdownFromNodes(nodes, pods);

  it('totals whole-node power: DCMI, else platform, else components', () => {
    expect(b.totalWatts).toBe(800 + 200 + 75);
    expect(b.nodeCount).toBe(3);
    expect(b.byCluster).toEqual([
      { key: 'east', watts: 1000 },
      { key: 'west', watts: 75 },
    ]);
    expect(b.byNode).toEqual([
      { key: 'n1', cluster: 'east', watts: 800 },
      { key: 'n2', cluster: 'east', watts: 200 },
      { key: 'n1', cluster: 'west', watts: 75 },
    ]);
  });

  it('splits by resource type, OTHER being the rest of each node', () => {
    expect(Object.fromEntries(b.byResourceType.map((g) => [g.key, g.watts]))).toEqual({
      CPU: 240,
      DRAM: 45,
      GPU: 600,
      NPU: 50,
      OTHER: 80 + 60,
    });
    expect(b.byResourceType.reduce((s, g) => s + g.watts, 0)).toBe(b.totalWatts);
  });

  it('puts pod power in namespaces and leaves pods without power out', () => {
    expect(b.byNamespace).toEqual([{ key: 'ml', watts: 645 }]);
    expect(groupsOf(b, PowerGroupBy.NAMESPACE)).toBe(b.byNamespace);
  });
});

describe('breakdownFromPods (a tenant’s view)', () => {
  it('counts only the pods’ attributed power', () => {
    const b = breakdownFromPods([
      pod('east', 'ml', 'a', { node: 'n1', cpuWatts: 30, dramWatts: 5, gpuWatts: 600 }),
      pod('east', 'ml', 'b', { node: 'n2', cpuWatts: 10 }),
    ]);
    expect(b).toMatchObject({ totalWatts: 645, nodeCount: 2, namespacesOnly: true });
    expect(b.byResourceType.map((g) => g.key).sort()).toEqual(['CPU', 'DRAM', 'GPU']);
    expect(b.byNode).toEqual([
      { key: 'n1', cluster: 'east', watts: 635 },
      { key: 'n2', cluster: 'east', watts: 10 },
    ]);
  });
});
