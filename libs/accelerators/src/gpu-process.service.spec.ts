import { AcceleratorsService } from './accelerators.service';
import { GpuProcessService } from './gpu-process.service';
import { NpuService } from './npu.service';
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

  it('shows a namespace-scoped caller only processes on whole GPUs its namespaces hold, selecting by namespace', async () => {
    // What a namespace-filtered source returns: only team-a's devices, including one instance of the shared MIG GPU.
    const scoped = gpus.filter((g) => g.namespace === 'team-a');
    const { service: s, calls } = service({
      gpus: { items: scoped, failures: [] },
      processes: { items: processes, failures: [] },
    });
    const { items } = await s.gpuProcesses({}, { clusters: ['c1'], namespaces: ['team-a'] });
    expect(items.map((p) => p.pid)).toEqual([10]);
    expect(calls.find((c) => c.method === 'gpuSamples')!.filter).toEqual({
      clusters: ['c1'],
      namespaces: ['team-a'],
    });
    expect(calls.find((c) => c.method === 'gpuProcesses')!.filter).toEqual({ clusters: ['c1'] });
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
