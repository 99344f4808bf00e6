import type { CacheService } from '@kcloud/cache';
import { type ClusterConfig, DomainError, ErrorCode, loadConfig, UNRESTRICTED } from '@kcloud/common';
import type { GpuSnapshotSource, NpuSource, PowerSource, SourceStatus } from '@kcloud/metrics-source';
import type { ClusterInfo, ClusterRegistry } from '@kcloud/prometheus';
import { SharedState } from '@kcloud/realtime';
import { ClusterStateStore } from './cluster-state.store';
import { ClustersService } from './clusters.service';

function service(kind: 'prometheus' | 'simulated') {
  const events: string[] = [];
  const info: ClusterInfo = {
    name: 'new',
    url: 'http://new:9090',
    labels: {},
    status: 'up',
    circuit: 'CLOSED',
    latencyMs: 3,
    tenantLabels: 'auto',
  };
  const names = new Set(['east']);
  const registry = {
    add: (c: ClusterConfig) => (events.push(`add ${c.name}`), names.add(c.name), info),
    check: async () => (events.push('check'), info),
    has: (name: string) => names.has(name),
    labels: (name: string) => (name === 'east' ? { platform: 'dgx', datacenter: 'dc1' } : {}),
    remove: (name: string) => (events.push(`remove ${name}`), names.delete(name)),
  } as unknown as ClusterRegistry;
  const config = loadConfig({});
  const stored = new ClusterStateStore(config, registry, new SharedState(config));
  const cache = { invalidate: async () => void events.push('invalidate') } as unknown as CacheService;
  const source = {
    kind,
    clusterNames: () => ['east'],
    health: async () => [
      { cluster: 'east', status: 'up' },
      { cluster: 'west', status: 'down', error: 'refused' },
    ],
    gpuSamples: async () => ({ items: [], failures: [] }),
    kubeNodes: async () => ({
      items: [],
      failures: [{ cluster: 'west', code: ErrorCode.CLUSTER_UNAVAILABLE, message: 'refused' }],
    }),
  } as unknown as SourceStatus & GpuSnapshotSource & NpuSource & PowerSource;
  const noCache = {
    ...cache,
    getOrLoad: <T>(_k: string, _t: string, load: () => Promise<T>) => load(),
  } as unknown as CacheService;
  return { clusters: new ClustersService(source, source, source, source, registry, noCache, stored), events };
}

describe('ClustersService', () => {
  it('registers a cluster, drops cached answers and probes it, so the next query sees it', async () => {
    const { clusters, events } = service('prometheus');
    expect(await clusters.register({ name: 'new', url: 'http://new:9090' } as ClusterConfig)).toMatchObject({
      name: 'new',
      status: 'UP',
      latencyMs: 3,
    });
    expect(events).toEqual(['add new', 'invalidate', 'check']);
    expect(await clusters.remove('new')).toBe(true);
    expect(events.slice(3)).toEqual(['remove new', 'invalidate']);
  });

  it('refuses to change clusters while the simulated fleet is served', async () => {
    const { clusters } = service('simulated');
    await expect(clusters.register({ name: 'x', url: 'http://x' } as ClusterConfig)).rejects.toMatchObject({
      code: ErrorCode.NOT_SUPPORTED,
    });
    await expect(clusters.remove('east')).rejects.toBeInstanceOf(DomainError);
  });

  it('lists clusters in scope, with unknown counts for a cluster whose queries failed', async () => {
    const { clusters } = service('prometheus');
    const { value, failures } = await clusters.list(UNRESTRICTED);
    expect(value.map((c) => [c.name, c.status, c.nodeCount])).toEqual([
      ['east', 'UP', 0],
      ['west', 'DOWN', undefined],
    ]);
    expect(failures.map((f) => f.cluster)).toEqual(['west']);
    expect((await clusters.list({ clusters: ['east'] })).value.map((c) => c.name)).toEqual(['east']);
  });

  it('shows PROMETHEUS_CLUSTERS labels and keeps only clusters carrying every wanted label', async () => {
    const { clusters } = service('prometheus');
    const { value } = await clusters.list(UNRESTRICTED);
    expect(value.map((c) => [c.name, c.labels])).toEqual([
      [
        'east',
        [
          { name: 'datacenter', value: 'dc1' },
          { name: 'platform', value: 'dgx' },
        ],
      ],
      ['west', []],
    ]);
    const dc1 = await clusters.list(UNRESTRICTED, [{ name: 'datacenter', value: 'dc1' }]);
    expect(dc1.value.map((c) => c.name)).toEqual(['east']);
    expect((await clusters.list(UNRESTRICTED, [{ name: 'datacenter', value: 'dc2' }])).value).toEqual([]);
    expect((await clusters.list({ clusters: ['west'] }, [{ name: 'platform', value: 'dgx' }])).value).toEqual(
      [],
    );
  });
});
