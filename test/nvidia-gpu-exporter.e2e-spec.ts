import type { Scenario } from '@kcloud/fleet-model';
import { GPU_WINDOW_SOURCE, type GpuWindowSource } from '@kcloud/metrics-source';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { useStack } from './harness/use-stack';

/** seed 004's `nvidia_gpu_*{node, gpu}` family as a cluster's gpuExporter, through real Prometheus scraping the simulator. */
const scenario: Scenario = {
  seed: 4,
  tickSeconds: 3600,
  clusters: [
    {
      name: 'seed4',
      gpuExporter: 'nvidia-gpu',
      nodes: [
        {
          name: 'k8s-gpu-a',
          gpuModel: 'NVIDIA A100 80GB PCIe',
          gpus: [
            { pattern: 'training', namespace: 'ml', pod: 'train-0', container: 'main' },
            { pattern: 'notebook' },
          ],
        },
        { name: 'k8s-gpu-b', gpuModel: 'NVIDIA A100 80GB PCIe', gpus: [{ pattern: 'unallocated' }] },
      ],
    },
  ],
};

interface Row {
  id: string;
  uuid: string;
  index: number;
  node: string;
  model: string;
  namespace: string | null;
  utilizationPercent: number | null;
  memoryCopyUtilizationPercent: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  temperatureCelsius: number | null;
  powerWatts: number | null;
}

describe('seed 004 nvidia_gpu_* exporter (gpuExporter: nvidia-gpu)', () => {
  const stack = useStack(scenario, [{ name: 'seed4', shape: 'exported' }], {
    ANALYZER_ENABLED: 'false',
    CACHE_TTL_REALTIME_SECONDS: '0',
  });

  it('lists every GPU with the simulator’s readings, identified by node and index, without what the family lacks', async () => {
    const truth = stack.model.reportedGpus('seed4');
    // A scrape that timed out on a loaded machine leaves the series stale for a second: wait for every GPU.
    const res = await pollUntil('every GPU listed', async () => {
      const r = await gql<{ gpus: { totalCount: number; edges: { node: Row }[] } }>(
        stack.url,
        `{ gpus(first: 100) { totalCount edges { node { id uuid index node model namespace utilizationPercent
            memoryCopyUtilizationPercent memoryUsedMiB memoryTotalMiB temperatureCelsius powerWatts } } } }`,
      );
      expect(r.errors).toBeUndefined();
      return r.data!.gpus.totalCount === truth.length ? r : undefined;
    });
    expect(res.data!.gpus.totalCount).toBe(truth.length);
    const byId = new Map(res.data!.gpus.edges.map((e) => [e.node.id, e.node]));
    for (const sim of truth) {
      const api = byId.get(`${sim.node}/gpu${sim.index}`);
      expect(api).toMatchObject({
        uuid: `${sim.node}/gpu${sim.index}`,
        index: sim.index,
        node: sim.node,
        model: 'unknown',
        namespace: null,
        utilizationPercent: sim.utilizationPercent ?? null,
        memoryCopyUtilizationPercent: sim.memoryCopyUtilizationPercent ?? null,
        memoryUsedMiB: sim.memoryUsedMiB,
        memoryTotalMiB: sim.memoryUsedMiB + sim.memoryFreeMiB! + sim.memoryReservedMiB!,
        temperatureCelsius: sim.temperatureCelsius,
        powerWatts: null,
      });
    }
  });

  it('answers a tenant filter with no GPUs (the family names no pods) and a node filter with that node’s', async () => {
    const ask = async (filter: Record<string, string>) =>
      (
        await gql<{ gpus: { edges: { node: { node: string } }[] } }>(
          stack.url,
          `query($f: GpuFilterInput) { gpus(filter: $f, first: 100) { edges { node { node } } } }`,
          { f: filter },
        )
      ).data!.gpus.edges.map((e) => e.node.node);
    expect(await ask({ namespace: 'ml' })).toEqual([]);
    expect(await ask({ node: 'k8s-gpu-b' })).toEqual(['k8s-gpu-b']);
  });

  it('gives the analyzer window averages of the family (utilisation and memory), keyed like the listing', async () => {
    const source = stack.app.get<GpuWindowSource>(GPU_WINDOW_SOURCE);
    const { items, failures } = await source.gpuWindowAggregates(
      { clusters: ['seed4'] },
      { windowSeconds: 30 },
    );
    expect(failures).toEqual([]);
    const truth = stack.model.reportedGpus('seed4');
    expect(items.map((a) => a.uuid).sort()).toEqual(truth.map((g) => `${g.node}/gpu${g.index}`).sort());
    for (const g of truth) {
      const a = items.find((x) => x.uuid === `${g.node}/gpu${g.index}`)!;
      // Hour-long ticks: the window's average is the constant reading.
      expect([a.utilizationPercent, a.memoryUsedMiB]).toEqual([
        g.utilizationPercent ?? undefined,
        g.memoryUsedMiB,
      ]);
      expect(a.powerWatts).toBeUndefined();
    }
  });
});
