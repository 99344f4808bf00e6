import type { DeviceFilter, GpuSample, GpuWindowAggregate, GpuWindowSource } from '@kcloud/metrics-source';
import { AcceleratorsService } from './accelerators.service';
import { GpuProcessService } from './gpu-process.service';
import { NpuService } from './npu.service';
import { type FakeSource, fakeSource, gpu, passThroughCache, proc } from './testing/fakes';

/** What the window reader says about these dcgm rows: one aggregate per device, every pod seen on it. */
function windowOf(rows: readonly GpuSample[], filter: DeviceFilter): GpuWindowAggregate[] {
  const devices = new Map<string, GpuWindowAggregate>();
  for (const r of rows.filter((g) => !filter.uuids || filter.uuids.includes(g.uuid))) {
    const key = `${r.uuid}/${r.migInstanceId ?? ''}`;
    const tenant = r.pod ? [{ namespace: r.namespace, pod: r.pod, container: r.container }] : [];
    const known = devices.get(key);
    devices.set(
      key,
      known
        ? { ...known, tenants: [...known.tenants, ...tenant] }
        : ({ ...r, tenants: tenant } as unknown as GpuWindowAggregate),
    );
  }
  return [...devices.values()];
}

function service(data: Parameters<typeof fakeSource>[0]) {
  const fake = fakeSource(data);
  const source = {
    ...fake.source,
    gpuWindowAggregates: async (filter: DeviceFilter) => {
      fake.calls.push({ method: 'gpuWindowAggregates', filter });
      return { items: windowOf(data.gpus?.items ?? [], filter), failures: [] };
    },
  } as FakeSource & GpuWindowSource;
  const accelerators = new AcceleratorsService(
    source,
    passThroughCache,
    new NpuService(source, passThroughCache),
  );
  return {
    service: new GpuProcessService(source, source, passThroughCache, accelerators),
    calls: fake.calls,
  };
}

const gpus = [
  gpu({ uuid: 'GPU-a', node: 'n1', index: 0, namespace: 'team-a', pod: 'train-0', container: 'c' }),
  // A MIG GPU whose instances belong to two tenants: a process on it cannot be attributed to either.
  gpu({ uuid: 'GPU-m', node: 'n1', index: 1, migInstanceId: '1', namespace: 'team-a', pod: 'x' }),
  gpu({ uuid: 'GPU-m', node: 'n1', index: 1, migInstanceId: '2', namespace: 'team-b', pod: 'y' }),
  gpu({ uuid: 'GPU-u', node: 'n2', index: 0 }),
];
const processes = [
  proc({ gpuUuid: 'GPU-a', pid: 10, user: 'alice' }),
  proc({ gpuUuid: 'GPU-m', pid: 20 }),
  proc({ gpuUuid: 'GPU-u', pid: 30 }),
  proc({ gpuUuid: 'GPU-gone', pid: 40 }),
];

describe('GpuProcessService', () => {
  it('takes node, index and tenant from the GPU; a MIG GPU’s tenant only when its instances agree', async () => {
    const { service: s } = service({
      gpus: { items: gpus, failures: [] },
      processes: { items: processes, failures: [] },
    });
    const { items } = await s.gpuProcesses();
    expect(items.map((p) => [p.pid, p.node, p.gpuIndex, p.namespace, p.pod])).toEqual([
      [10, 'n1', 0, 'team-a', 'train-0'],
      [20, 'n1', 1, undefined, undefined],
      [30, 'n2', 0, undefined, undefined],
      [40, undefined, undefined, undefined, undefined],
    ]);
    expect(items.every((p) => p.memoryPercent === undefined)).toBe(true);
  });

  /**
   * A source that filters its GPU rows like Prometheus would (namespace and UUID lists), keeping one row per device
   * as the GPU join does (a time-sliced GPU's pods collapse into one sample), recording each filter.
   */
  function filteringService(rows: readonly GpuSample[]) {
    const calls: { method: string; filter: DeviceFilter }[] = [];
    const source = {
      gpuSamples: async (filter: DeviceFilter) => {
        calls.push({ method: 'gpuSamples', filter });
        const seen = new Set<string>();
        const items = rows.filter((g) => {
          const key = `${g.uuid}/${g.migInstanceId ?? ''}`;
          const keep =
            !seen.has(key) &&
            (!filter.namespaces || (g.namespace !== undefined && filter.namespaces.includes(g.namespace))) &&
            (!filter.uuids || filter.uuids.includes(g.uuid));
          if (keep) seen.add(key);
          return keep;
        });
        return { items, failures: [] };
      },
      gpuWindowAggregates: async (filter: DeviceFilter) => {
        calls.push({ method: 'gpuWindowAggregates', filter });
        return { items: windowOf(rows, filter), failures: [] };
      },
      gpuProcesses: async (filter: DeviceFilter) => {
        calls.push({ method: 'gpuProcesses', filter });
        return {
          items: [...processes, proc({ gpuUuid: 'GPU-t', pid: 50, user: 'bob', command: 'python serve.py' })],
          failures: [],
        };
      },
      npuSamples: async () => ({ items: [], failures: [] }),
    } as unknown as FakeSource & GpuWindowSource;
    const accelerators = new AcceleratorsService(
      source,
      passThroughCache,
      new NpuService(source, passThroughCache),
    );
    return { service: new GpuProcessService(source, source, passThroughCache, accelerators), calls };
  }

  it('shows a namespace-scoped caller only processes on whole GPUs its namespaces hold, selecting by namespace', async () => {
    const { service: s, calls } = filteringService(gpus);
    const { items } = await s.gpuProcesses({}, { clusters: ['c1'], namespaces: ['team-a'] });
    expect(items.map((p) => p.pid)).toEqual([10]);
    expect(calls.find((c) => c.method === 'gpuSamples')!.filter).toEqual({
      clusters: ['c1'],
      namespaces: ['team-a'],
    });
    expect(calls.find((c) => c.method === 'gpuProcesses')!.filter).toEqual({ clusters: ['c1'] });
  });

  it('never attributes a process on a time-sliced GPU to one of the tenants sharing it', async () => {
    // GPU-t is time-sliced: dcgm reports one row per pod using it, here two tenants; GPU-a is team-a's alone.
    const rows = [
      ...gpus,
      gpu({ uuid: 'GPU-t', node: 'n3', index: 0, namespace: 'team-a', pod: 'notebook-0' }),
      gpu({ uuid: 'GPU-t', node: 'n3', index: 0, namespace: 'team-b', pod: 'serve-0' }),
    ];
    const { service: s, calls } = filteringService(rows);
    const scoped = await s.gpuProcesses({}, { namespaces: ['team-a'] });
    expect(scoped.items.map((p) => [p.pid, p.user])).toEqual([[10, 'alice']]);
    // The sharing check reads the pods of the GPUs team-a holds that run processes, by UUID, and no other GPU.
    expect(calls.filter((c) => c.method === 'gpuWindowAggregates').map((c) => c.filter)).toEqual([
      { uuids: ['GPU-a', 'GPU-m', 'GPU-t'] },
    ]);
    const other = await s.gpuProcesses({}, { namespaces: ['team-b'] });
    expect(other.items).toEqual([]);
    // Unrestricted callers see the process (with the GPU list's attribution: no extra reads for them).
    const all = await s.gpuProcesses();
    expect(all.items.find((p) => p.pid === 50)).toMatchObject({ node: 'n3', user: 'bob' });
    // One sharing read per namespace-scoped call (team-a, team-b), none for the unrestricted one.
    expect(calls.filter((c) => c.method === 'gpuWindowAggregates')).toHaveLength(2);
  });

  it('attributes nothing when the pods of a GPU cannot be read (fails closed)', async () => {
    const { service: s } = service({
      gpus: { items: gpus, failures: [] },
      processes: { items: processes, failures: [] },
    });
    const source = (s as unknown as { windowSource: GpuWindowSource }).windowSource;
    source.gpuWindowAggregates = async () => ({
      items: [],
      failures: [{ cluster: 'c1', code: 'UPSTREAM_TIMEOUT' as never, message: 'slow' }],
    });
    const { items, failures } = await s.gpuProcesses({}, { namespaces: ['team-a'] });
    expect(items).toEqual([]);
    expect(failures.map((f) => f.cluster)).toEqual(['c1']);
  });

  it('attributes a MIG board all of whose instances are the scoped tenant’s', async () => {
    const rows = [
      gpu({ uuid: 'GPU-m', node: 'n1', index: 1, migInstanceId: '1', namespace: 'team-a', pod: 'x' }),
      gpu({ uuid: 'GPU-m', node: 'n1', index: 1, migInstanceId: '2', namespace: 'team-a', pod: 'x' }),
    ];
    const { service: s } = filteringService(rows);
    const { items } = await s.gpuProcesses({}, { namespaces: ['team-a'] });
    expect(items.map((p) => [p.pid, p.namespace])).toEqual([[20, 'team-a']]);
  });

  it.each([
    [{ node: 'n2' }, [30]],
    [{ namespace: 'team-a' }, [10]],
    [{ user: 'alice' }, [10]],
    [{ pod: 'nobody' }, []],
  ])('filters by %o', async (query, pids) => {
    const { service: s } = service({
      gpus: { items: gpus, failures: [] },
      processes: { items: processes, failures: [] },
    });
    expect((await s.gpuProcesses(query)).items.map((p) => p.pid)).toEqual(pids);
  });

  it('pushes a GPU uuid down to both reads and returns nothing for a cluster outside the scope', async () => {
    const { service: s, calls } = service({});
    await s.gpuProcesses({ gpuUuid: 'GPU-a' });
    expect(calls.map((c) => c.filter)).toEqual([{ uuids: ['GPU-a'] }, { uuids: ['GPU-a'] }]);
    const other = service({});
    expect((await other.service.gpuProcesses({ cluster: 'c9' }, { clusters: ['c1'] })).items).toEqual([]);
    expect(other.calls).toEqual([]);
  });
});
