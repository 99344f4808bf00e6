import { ErrorCode } from '@kcloud/common';
import { AcceleratorsService } from './accelerators.service';
import { AcceleratorKind } from './models/accelerator.model';
import { NpuService } from './npu.service';
import { fakeSource, gpu, npu, passThroughCache } from './testing/fakes';

function services(data: Parameters<typeof fakeSource>[0]) {
  const fake = fakeSource(data);
  const npus = new NpuService(fake.source, passThroughCache);
  return { service: new AcceleratorsService(fake.source, passThroughCache, npus), calls: fake.calls };
}

const failure = { cluster: 'c2', code: ErrorCode.CLUSTER_UNAVAILABLE, message: 'down' } as const;

describe('AcceleratorsService.accelerators', () => {
  const data = {
    gpus: {
      items: [
        gpu({ uuid: 'G-2', node: 'n2', index: 1 }),
        gpu({ uuid: 'G-1', index: 0 }),
        gpu({ uuid: 'A-1', index: 2, vendor: 'apple' }),
      ],
      failures: [failure],
    },
    npus: {
      items: [
        npu({ uuid: 'N-2', node: 'n1', index: 1, vendor: 'rebellions' }),
        npu({ uuid: 'N-1', node: 'n2' }),
      ],
      failures: [],
    },
  };

  it('merges and sorts once per pair of snapshot reads and vendor (a page does not re-sort the fleet)', async () => {
    const { service } = services(data);
    const all = (await service.accelerators()).items;
    expect((await service.accelerators()).items).toBe(all);
    expect((await service.accelerators({ vendor: 'apple' })).items.map((i) => i.sample.uuid)).toEqual([
      'A-1',
    ]);
    expect((await service.accelerators()).items).toBe(all);
  });

  it('lists a node’s GPUs before its NPUs, nodes in order, and keeps the failures of both reads', async () => {
    const { service } = services(data);
    const { items, failures } = await service.accelerators();
    expect(items.map((i) => `${i.kind}:${i.sample.uuid}`)).toEqual([
      'GPU:G-1',
      'GPU:A-1',
      'NPU:N-2',
      'GPU:G-2',
      'NPU:N-1',
    ]);
    expect(failures).toEqual([failure]);
  });

  it.each([
    [{ kind: AcceleratorKind.NPU }, ['N-2', 'N-1'], ['npuSamples']],
    [{ kind: AcceleratorKind.GPU }, ['G-1', 'A-1', 'G-2'], ['gpuSamples']],
    [{ vendor: 'apple' }, ['A-1'], ['gpuSamples', 'npuSamples']],
    [{ vendor: 'nvidia' }, ['G-1', 'G-2'], ['gpuSamples', 'npuSamples']],
    [{ vendor: 'rebellions' }, ['N-2'], ['gpuSamples', 'npuSamples']],
  ] as const)('filters %o without asking for the other kind', async (query, uuids, methods) => {
    const { service, calls } = services(data);
    const { items } = await service.accelerators(query);
    expect(items.map((i) => i.sample.uuid)).toEqual(uuids);
    expect(calls.map((c) => c.method).sort()).toEqual([...methods].sort());
  });

  it('answers nothing, without a source call, for a cluster outside the caller’s scope', async () => {
    const { service, calls } = services(data);
    const { items } = await service.accelerators({ cluster: 'c9' }, { clusters: ['c1'] });
    expect(items).toEqual([]);
    expect(calls).toEqual([]);
  });
});
