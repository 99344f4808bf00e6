import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClusterConfig, ErrorCode, loadConfig } from '@kcloud/common';
import type { ClusterRegistry } from '@kcloud/prometheus';
import { MemoryStateBackend, SharedState } from '@kcloud/realtime';
import { ClusterStateStore } from './cluster-state.store';

/** A shared state store that no longer answers (Redis down). */
class DownBackend extends MemoryStateBackend {
  override read(): Promise<undefined> {
    return Promise.reject(new Error('Connection is closed.'));
  }
  override readVersion(): Promise<number> {
    return Promise.reject(new Error('Connection is closed.'));
  }
}

/** A registry that records its clusters (with the config each was added with). */
function fakeRegistry(initial: string[] = []) {
  const clusters = new Map<string, ClusterConfig | undefined>(initial.map((n) => [n, undefined]));
  const registry = {
    add: async (c: ClusterConfig) => {
      if (clusters.has(c.name)) throw new Error(`cluster '${c.name}' already exists`);
      clusters.set(c.name, c);
      return { name: c.name };
    },
    has: (name: string) => clusters.has(name),
    remove: (name: string) => clusters.delete(name),
  } as unknown as ClusterRegistry;
  return { registry, clusters };
}

describe('ClusterStateStore', () => {
  const env = { PROMETHEUS_URL: 'http://prom:9090' };
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'clusters-state-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('applies a registration and a removal made on one replica to another sharing the state', async () => {
    const config = loadConfig(env);
    const shared = new SharedState(config);
    const a = fakeRegistry(['default']);
    const b = fakeRegistry(['default']);
    const storeA = new ClusterStateStore(config, a.registry, shared);
    const storeB = new ClusterStateStore(config, b.registry, shared);
    await storeB.onModuleInit();
    await storeA.register(
      { name: 'west', url: 'http://west:9090', gpuExporter: 'all-smi', labels: { region: 'w' } },
      'ops',
    );
    await storeB.refresh();
    expect(b.clusters.get('west')).toMatchObject({ gpuExporter: 'all-smi', labels: { region: 'w' } });
    await storeA.remove('default', 'ops');
    await storeB.refresh();
    expect([...b.clusters.keys()]).toEqual(['west']);
    await expect(storeB.register({ name: 'west', url: 'http://x:9090' }, 'ops')).rejects.toThrow(
      /already exists/,
    );
    storeB.onModuleDestroy();
  });

  it('refuses registerCluster and removeCluster with STATE_UNAVAILABLE while the store is down, changing nothing', async () => {
    const config = loadConfig(env);
    const { registry, clusters } = fakeRegistry(['default']);
    const store = new ClusterStateStore(config, registry, new SharedState(config, new DownBackend()));
    await expect(store.register({ name: 'west', url: 'http://west:9090' }, 'ops')).rejects.toMatchObject({
      code: ErrorCode.STATE_UNAVAILABLE,
      details: { document: 'registered-clusters' },
    });
    await expect(store.remove('default', 'ops')).rejects.toMatchObject({ code: ErrorCode.STATE_UNAVAILABLE });
    expect([...clusters.keys()]).toEqual(['default']);
  });

  it('persists a credential as a variable name only, refuses a literal secret, and restores it at start', async () => {
    process.env.CLUSTER_SECRET_WEST = 's3cr3t-token';
    const config = loadConfig({ ...env, STATE_DIR: dir });
    const shared = new SharedState(config);
    await shared.onModuleInit();
    const first = fakeRegistry();
    const store = new ClusterStateStore(config, first.registry, shared);
    await expect(
      store.register(
        { name: 'west', url: 'http://west:9090', auth: { type: 'bearer', token: 'literal' } },
        'ops',
      ),
    ).rejects.toMatchObject({ code: ErrorCode.BAD_USER_INPUT });
    await store.register(
      { name: 'west', url: 'http://west:9090', auth: { type: 'bearer', tokenEnv: 'CLUSTER_SECRET_WEST' } },
      'ops',
    );
    expect(first.clusters.get('west')!.auth).toMatchObject({ token: 's3cr3t-token' });
    const onDisk = await readFile(join(dir, 'registered-clusters.json'), 'utf8');
    expect(onDisk).toContain('CLUSTER_SECRET_WEST');
    expect(onDisk).not.toContain('s3cr3t-token');

    const restarted = fakeRegistry();
    const again = new ClusterStateStore(config, restarted.registry, new SharedState(config));
    await again.onModuleInit();
    expect(restarted.clusters.get('west')!.auth).toMatchObject({ type: 'bearer', token: 's3cr3t-token' });
    again.onModuleDestroy();
    delete process.env.CLUSTER_SECRET_WEST;
  });
});
