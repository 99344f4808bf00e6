import { defaultScenario, FleetModel } from '@kcloud/fleet-model';
import { firstN } from '../testing/first-n';
import { SimulatedGpuWindow } from './gpu-window.simulated';

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
