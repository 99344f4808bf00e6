import { AcceleratorsService } from './accelerators.service';
import { GpuProcessService } from './gpu-process.service';
import { NpuService } from './npu.service';
import type { DeviceFilter, GpuSample, MetricSource } from '@kcloud/metrics-source';
import { fakeSource, gpu, passThroughCache, proc } from './testing/fakes';

function service(data: Parameters<typeof fakeSource>[0]) {
  const fake = fakeSource(data);
  const accelerators = new AcceleratorsService(
    fake.source,
    passThroughCache,
    new NpuService(fake.source, passThroughCache),
  );
  return { service: new GpuProcessService(fake.source, passThroughCache, accelerators), calls: fake.calls };
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

  /** A source that filters its GPU rows like Prometheus would (namespace and UUID lists), recording each filter. */
  function filteringService(rows: readonly GpuSample[]) {
    const calls: { method: string; filter: DeviceFilter }[] = [];
    const source = {
      gpuSamples: async (filter: DeviceFilter) => {
        calls.push({ method: 'gpuSamples', filter });
        const items = rows.filter(
          (g) =>
            (!filter.namespaces || (g.namespace !== undefined && filter.namespaces.includes(g.namespace))) &&
            (!filter.uuids || filter.uuids.includes(g.uuid)),
        );
        return { items, failures: [] };
      },
      gpuProcesses: async (filter: DeviceFilter) => {
        calls.push({ method: 'gpuProcesses', filter });
        return { items: [...processes, proc({ gpuUuid: 'GPU-t', pid: 50, user: 'bob', command: 'python serve.py' })], failures: [] };
      },
      npuSamples: async () => ({ items: [], failures: [] }),
    } as unknown as MetricSource;
    const accelerators = new AcceleratorsService(source, passThroughCache, new NpuService(source, passThroughCache));
    return { service: new GpuProcessService(source, passThroughCache, accelerators), calls };
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
    // The sharing check reads only the GPUs team-a holds, by UUID.
    expect(calls.filter((c) => c.method === 'gpuSamples').map((c) => c.filter)).toEqual([
      { namespaces: ['team-a'] },
      { uuids: ['GPU-a', 'GPU-m', 'GPU-t'] },
    ]);
    const other = await s.gpuProcesses({}, { namespaces: ['team-b'] });
    expect(other.items).toEqual([]);
    // Unrestricted callers see the process, without a tenant.
    const all = await s.gpuProcesses();
    expect(all.items.find((p) => p.pid === 50)).toMatchObject({ node: 'n3', namespace: undefined, pod: undefined });
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
