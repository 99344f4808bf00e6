import { defaultScenario, FleetModel } from '@kcloud/fleet-model';
import { firstN } from '../testing/first-n';
import { SimulatedGpuWindow } from './gpu-window.simulated';
import type { GpuWindowAggregate } from './gpu-window.port';

describe('SimulatedGpuWindow health counters', () => {
  it('carries the injected XID and double-bit count of a device, 0 for the others', async () => {
    const model = new FleetModel(defaultScenario());
    const [a, b] = firstN(
      model.gpus().filter((g) => g.migInstanceId === undefined),
      2,
    );
    model.faults.set(a.uuid, { xid: 79, eccDbeVolatile: 2 });
    const { items } = await new SimulatedGpuWindow(model).gpuWindowAggregates({}, { windowSeconds: 60 });
    const of = (uuid: string) => items.find((i) => i.uuid === uuid && i.migInstanceId === undefined)!;
    expect([of(a.uuid).lastXid, of(a.uuid).eccDoubleBitVolatileCount]).toEqual([79, 2]);
    expect([of(b.uuid).lastXid, of(b.uuid).eccDoubleBitVolatileCount]).toEqual([0, 0]);
  });
});

describe('SimulatedGpuWindow memory', () => {
  it('hands out the same tenant list and one observedAt while the holder stays, a new list when it changes', async () => {
    const model = new FleetModel(defaultScenario());
    const source = new SimulatedGpuWindow(model, () => Date.UTC(2026, 0, 1));
    const read = async () => (await source.gpuWindowAggregates({}, { windowSeconds: 60 })).items;
    const first = await read();
    const held = first.find((a) => a.tenants.length && !a.migInstanceId)!;
    const free = first.find((a) => a.tenants.length === 0)!;
    expect(first.every((a) => a.observedAt === first[0]!.observedAt)).toBe(true);
    model.setPattern(held.uuid, undefined, 'training', { namespace: 'other', pod: 'p-0', container: 'c' });
    const second = await read();
    const again = (a: GpuWindowAggregate) =>
      second.find((b) => b.uuid === a.uuid && b.migInstanceId === a.migInstanceId)!;
    const kept = first.find((a) => a.tenants.length && a.uuid !== held.uuid)!;
    expect(again(kept).tenants).toBe(kept.tenants);
    expect(Object.isFrozen(kept.tenants) && Object.isFrozen(kept.tenants[0])).toBe(true);
    expect(again(free).tenants).toBe(free.tenants);
    expect(again(held).tenants).toEqual([{ namespace: 'other', pod: 'p-0', container: 'c' }]);
    expect(again(held).tenants).not.toBe(held.tenants);
  });
});
