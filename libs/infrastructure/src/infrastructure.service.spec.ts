import type { CacheService } from '@kcloud/cache';
import { type TenantScope, UNRESTRICTED } from '@kcloud/common';
import type {
  DeviceFilter,
  GpuSample,
  InfraFilter,
  GpuSnapshotSource,
  PowerSource,
  PodPowerSample,
} from '@kcloud/metrics-source';
import { InfrastructureLoaders } from './infrastructure.loaders';
import { InfrastructureService } from './infrastructure.service';

const at = new Date(0);
const gpu = (cluster: string, node: string, uuid: string, namespace?: string, pod?: string): GpuSample => ({
  cluster,
  node,
  uuid,
  index: 0,
  model: 'm',
  namespace,
  pod,
  observedAt: at,
});
const pod = (cluster: string, node: string, namespace: string, name: string): PodPowerSample => ({
  cluster,
  node,
  namespace,
  pod: name,
  cpuWatts: 1,
  observedAt: at,
});

/** Whether a source filter's clusters and namespaces (each absent = all) select a row. */
const selects = (f: DeviceFilter | InfraFilter, cluster: string, namespace: string | undefined): boolean =>
  (!f.clusters || f.clusters.includes(cluster)) && (!f.namespaces || f.namespaces.includes(namespace ?? ''));

/** A strict fake source recording the filters it was asked for. */
function fakeSource() {
  const calls: { method: string; filter: DeviceFilter | InfraFilter }[] = [];
  const gpus = [
    gpu('east', 'n1', 'g1', 'ml', 'a'),
    gpu('east', 'n2', 'g2'),
    gpu('west', 'n1', 'g3', 'web', 'b'),
  ];
  const pods = [pod('east', 'n1', 'ml', 'a'), pod('east', 'n2', 'web', 'c'), pod('west', 'n1', 'web', 'b')];
  const source = {
    gpuSamples: async (filter: DeviceFilter) => {
      calls.push({ method: 'gpuSamples', filter });
      return { items: gpus.filter((g) => selects(filter, g.cluster, g.namespace)), failures: [] };
    },
    podPower: async (filter: InfraFilter) => {
      calls.push({ method: 'podPower', filter });
      return { items: pods.filter((p) => selects(filter, p.cluster, p.namespace)), failures: [] };
    },
  } as unknown as GpuSnapshotSource & PowerSource;
  return { source, calls };
}

const noCache = {
  getOrLoad: <T>(_k: string, _t: string, load: () => Promise<T>) => load(),
} as unknown as CacheService;

describe('InfrastructureService and its per-request loaders', () => {
  it('batches Node.gpus and Node.pods of many nodes into one source call each', async () => {
    const { source, calls } = fakeSource();
    const loaders = new InfrastructureLoaders(new InfrastructureService(source, source, noCache)).for(
      {},
      UNRESTRICTED,
    );
    const keys = [
      { cluster: 'east', node: 'n1' },
      { cluster: 'east', node: 'n2' },
      { cluster: 'west', node: 'n1' },
    ];
    const [gpus, pods] = await Promise.all([
      Promise.all(keys.map((k) => loaders.gpusByNode.load(k))),
      Promise.all(keys.map((k) => loaders.podsByNode.load(k))),
    ]);
    expect(gpus.map((list) => list.map((g) => g.uuid))).toEqual([['g1'], ['g2'], ['g3']]);
    expect(pods.map((list) => list.map((p) => p.pod))).toEqual([['a'], ['c'], ['b']]);
    expect(calls.map((c) => c.method).sort()).toEqual(['gpuSamples', 'podPower']);
    expect(calls.find((c) => c.method === 'gpuSamples')!.filter).toEqual({
      clusters: ['east', 'west'],
      nodes: ['n1', 'n2'],
    });
  });

  it('gives a request the same loaders and another request new ones', () => {
    const { source } = fakeSource();
    const loaders = new InfrastructureLoaders(new InfrastructureService(source, source, noCache));
    const ctx = {};
    expect(loaders.for(ctx, UNRESTRICTED)).toBe(loaders.for(ctx, UNRESTRICTED));
    expect(loaders.for({}, UNRESTRICTED)).not.toBe(loaders.for(ctx, UNRESTRICTED));
  });

  it('shows a namespace-scoped caller only its pods and allocated GPUs, and nothing outside its clusters', async () => {
    const { source, calls } = fakeSource();
    const service = new InfrastructureService(source, source, noCache);
    const scope: TenantScope = { clusters: ['east'], namespaces: ['ml'] };
    expect((await service.pods({}, scope)).items.map((p) => p.pod)).toEqual(['a']);
    expect(
      (
        await service.gpusOfNodes(
          [
            { cluster: 'east', node: 'n1' },
            { cluster: 'east', node: 'n2' },
          ],
          scope,
        )
      ).items.map((g) => g.uuid),
    ).toEqual(['g1']);
    expect((await service.pods({ cluster: 'west' }, scope)).items).toEqual([]);
    // The narrowed-away cluster never reached the source.
    expect(calls.every((c) => !c.filter.clusters?.includes('west'))).toBe(true);
  });

  it('filters and sorts pods once per snapshot read and scope (a page does not re-sort the fleet)', async () => {
    const snapshot = {
      items: [pod('west', 'n1', 'web', 'b'), pod('east', 'n2', 'web', 'c'), pod('east', 'n1', 'ml', 'a')],
      failures: [],
    };
    const source = { podPower: async () => snapshot } as unknown as GpuSnapshotSource & PowerSource;
    const service = new InfrastructureService(source, source, noCache);
    const all = (await service.pods({}, UNRESTRICTED)).items;
    expect(all.map((p) => p.pod)).toEqual(['a', 'c', 'b']);
    expect((await service.pods({}, UNRESTRICTED)).items).toBe(all);
    expect((await service.pods({}, { namespaces: ['web'] })).items.map((p) => p.pod)).toEqual(['c', 'b']);
    const reread = new InfrastructureService(
      { podPower: async () => ({ ...snapshot }) } as unknown as GpuSnapshotSource & PowerSource,
      source,
      noCache,
    );
    expect((await reread.pods({}, UNRESTRICTED)).items).not.toBe(all);
  });

  it('reads no cluster when the cluster labels selected none', async () => {
    const { source, calls } = fakeSource();
    const service = new InfrastructureService(source, source, noCache);
    const none = { labelledClusters: [] };
    expect((await service.pods(none, UNRESTRICTED)).items).toEqual([]);
    expect((await service.nodes(none, UNRESTRICTED)).items).toEqual([]);
    expect(calls).toEqual([]);
    await service.pods({ labelledClusters: ['west'] }, UNRESTRICTED);
    expect(calls).toEqual([{ method: 'podPower', filter: { clusters: ['west'] } }]);
  });
});
