import type { CacheService } from '@kcloud/cache';
import { ErrorCode, type PartialErrorsContext, UNRESTRICTED } from '@kcloud/common';
import { FakeHosts } from '@kcloud/metrics-source';
import { NodeHostLoaders } from './node-host.loaders';

const noCache = {
  getOrLoad: <T>(_k: string, _t: string, load: () => Promise<T>) => load(),
} as unknown as CacheService;
const host = (cluster: string, node: string, total: number) => ({
  cluster,
  node,
  memoryTotalBytes: total,
  memoryAvailableBytes: total / 4,
  cpuCores: [{ cpu: 0, utilizationPercent: 10 }],
});

function setup() {
  const fake = new FakeHosts({
    items: [host('east', 'n1', 100), host('east', 'n2', 200), host('west', 'n1', 300)],
    failures: [{ cluster: 'north', code: ErrorCode.CLUSTER_UNAVAILABLE, message: 'down' }],
  });
  return { fake, loaders: new NodeHostLoaders(fake, noCache) };
}

describe('NodeHostLoaders', () => {
  it('reads the hosts of every node of a response in one source call, matched by cluster and node', async () => {
    const { fake, loaders } = setup();
    const ctx = {} as PartialErrorsContext;
    const loader = loaders.for(ctx, UNRESTRICTED);
    const got = await Promise.all([
      loader.load({ cluster: 'west', node: 'n1' }),
      loader.load({ cluster: 'east', node: 'n1' }),
      loader.load({ cluster: 'east', node: 'gone' }),
    ]);
    expect(got.map((h) => h?.memoryTotalBytes)).toEqual([300, 100, undefined]);
    expect(fake.calls).toEqual([{ clusters: ['east', 'west'] }]);
  });

  it('reads nothing for a namespace-scoped key: host readings are node-wide', async () => {
    const { fake, loaders } = setup();
    const loader = loaders.for({} as PartialErrorsContext, { namespaces: ['team-a'] });
    expect(await loader.load({ cluster: 'east', node: 'n1' })).toBeUndefined();
    expect(fake.calls).toEqual([]);
  });
});
