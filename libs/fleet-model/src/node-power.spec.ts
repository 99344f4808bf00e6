import { defaultScenario } from './default-scenario';
import { FleetModel } from './fleet-model';
import { CORE_SHARE, nodePowerBreakdown } from './node-power';
import type { SimNode } from './types';

describe('nodePowerBreakdown', () => {
  const model = new FleetModel({ ...defaultScenario(), tickSeconds: 3600 });
  const at = Date.UTC(2026, 0, 15, 12);
  const input = (cluster: string, node: string) => ({
    cluster,
    node,
    nodeKey: 7,
    bucket: model.bucketOf(at),
    gpus: model.nodeGpus(cluster, node, at),
    pods: model.pods(cluster).filter((p) => p.node === node),
    npus: model.nodeNpus(cluster, node, at),
  });

  it.each(model.nodes().map((n) => [n.cluster, n.name]))(
    'adds up on %s/%s: server input = CPU + DRAM + accelerators + other',
    (cluster, node) => {
      const p = nodePowerBreakdown(input(cluster, node));
      expect(Number.isInteger(p.serverInputWatts)).toBe(true);
      expect(p.cpuPackageWatts + p.dramWatts + p.gpuWatts + p.npuWatts + p.otherWatts).toBeCloseTo(
        p.serverInputWatts,
        6,
      );
      expect(p.otherWatts).toBeGreaterThan(40);
      expect(p.cpuCoreWatts).toBeCloseTo(p.cpuPackageWatts * CORE_SHARE, 2);
      // Pods get the dynamic part; the idle part stays with the node.
      const podCpu = p.pods.reduce((s, x) => s + x.cpuPackageWatts, 0);
      expect(p.cpuPackageIdleWatts + podCpu).toBeCloseTo(p.cpuPackageWatts, 2);
      // Each physical GPU's board power counts once, MIG instances or not.
      const boards = new Map(input(cluster, node).gpus.map((g) => [g.uuid, g.powerWatts]));
      expect(p.gpuWatts).toBeCloseTo(
        [...boards.values()].reduce((a, b) => a + b, 0),
        2,
      );
      expect(p.cpuUsageRatio).toBeGreaterThanOrEqual(0);
      expect(p.cpuUsageRatio).toBeLessThanOrEqual(1);
    },
  );

  it('is deterministic and gives an idle node no pods and no dynamic CPU', () => {
    const [{ cluster, name: node }] = model.nodes() as [SimNode];
    expect(nodePowerBreakdown(input(cluster, node))).toEqual(nodePowerBreakdown(input(cluster, node)));
    const idle = nodePowerBreakdown({ ...input(cluster, node), gpus: [], pods: [], npus: [] });
    expect(idle.cpuPackageWatts).toBe(idle.cpuPackageIdleWatts);
    expect(idle.gpuWatts).toBe(0);
  });

  it('charges a pod for the GPUs and the host load of the devices it holds', () => {
    const [cluster] = model.clusters() as [string];
    const training = model.pods(cluster).find((p) => p.name === 'llm-pretrain-0')!;
    const p = nodePowerBreakdown(input(cluster, training.node));
    const pod = p.pods.find((x) => x.pod === training.name)!;
    const boards = model.nodeGpus(cluster, training.node, at).filter((g) => g.pod === training.name);
    expect(pod.gpuWatts).toBeCloseTo(
      boards.reduce((s, g) => s + g.powerWatts, 0),
      2,
    );
    expect(pod.cpuPackageWatts).toBeGreaterThan(4 * boards.length * 0.97);
    expect(pod.containerId).toMatch(/^[0-9a-f]{64}$/);
  });
});
