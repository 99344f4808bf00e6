import type { CacheService } from '@kcloud/cache';
import { ErrorCode, type PartialErrorsContext, UNRESTRICTED } from '@kcloud/common';
import { FakeContainerUsage } from '@kcloud/metrics-source';
import { ContainerUsageLoaders, podKeyOf, podUsageOf } from './container-usage.loaders';

const noCache = {
  getOrLoad: <T>(_k: string, _t: string, load: () => Promise<T>) => load(),
} as unknown as CacheService;
const usage = (cluster: string, namespace: string, pod: string, container: string, cpuCores?: number) => ({
  cluster,
  namespace,
  pod,
  container,
  cpuCores,
  memoryWorkingSetBytes: 100,
});

function setup() {
  const fake = new FakeContainerUsage({
    items: [
      usage('east', 'team-a', 'p1', 'main', 1.5),
      usage('east', 'team-a', 'p1', 'side', 0.25),
      usage('east', 'team-b', 'p2', 'main', 3),
      usage('west', 'team-a', 'p1', 'main', 7),
    ],
    failures: [{ cluster: 'north', code: ErrorCode.CLUSTER_UNAVAILABLE, message: 'down' }],
  });
  return { fake, loaders: new ContainerUsageLoaders(fake, noCache) };
}

describe('ContainerUsageLoaders', () => {
  it('reads every cluster of a response in one source call and sums a pod over its containers', async () => {
    const { fake, loaders } = setup();
    const loader = loaders.for({} as PartialErrorsContext, UNRESTRICTED);
    const [west, east] = await Promise.all([loader.load('west'), loader.load('east')]);
    expect(fake.calls).toEqual([{ clusters: ['east', 'west'] }]);
    expect(podUsageOf(east.get(podKeyOf('team-a', 'p1')), 'cpuCores')).toBe(1.75);
    expect(podUsageOf(east.get(podKeyOf('team-a', 'p1')), 'memoryWorkingSetBytes')).toBe(200);
    expect(podUsageOf(west.get(podKeyOf('team-a', 'p1')), 'cpuCores')).toBe(7);
    expect(podUsageOf(east.get(podKeyOf('team-a', 'gone')), 'cpuCores')).toBeUndefined();
    expect(podUsageOf([usage('east', 'a', 'p', 'c')], 'cpuCores')).toBeUndefined();
  });

  it('asks only for a namespace-scoped key’s namespaces', async () => {
    const { fake, loaders } = setup();
    const east = await loaders.for({} as PartialErrorsContext, { namespaces: ['team-b'] }).load('east');
    expect(fake.calls).toEqual([{ clusters: ['east'], namespaces: ['team-b'] }]);
    expect([...east.keys()]).toEqual([podKeyOf('team-b', 'p2')]);
  });
});
