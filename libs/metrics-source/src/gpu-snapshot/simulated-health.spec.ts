import { defaultScenario, FleetModel } from '@kcloud/fleet-model';
import { firstN } from '../testing/first-n';
import { SimulatedGpuSnapshot } from './gpu-snapshot.simulated';

const at = Date.UTC(2026, 0, 15, 12, 0, 3);

describe('SimulatedGpuSnapshot GPU health readings', () => {
  it('answers the default-CSV health rows only, like the simulated dcgm-exporter', async () => {
    const { items } = await new SimulatedGpuSnapshot(new FleetModel(defaultScenario()), () => at).gpuSamples(
      {},
    );
    const [first] = firstN(items, 1);
    expect(first).toMatchObject({ lastXid: 0, pcieReplayCount: 0, rowRemapFailureFlag: 0 });
    expect(first.eccDoubleBitVolatileCount).toBeUndefined();
    expect(first.clocksEventReasonsMask).toBeUndefined();
    expect(first.memoryClockMHz).toBeGreaterThan(0);
  });

  it('answers every health row and an injected fault when the scenario enables them', async () => {
    const model = new FleetModel({ ...defaultScenario(), dcgmHealthCounters: 'all' });
    const [{ uuid }] = firstN(model.gpus(undefined, at), 1);
    model.faults.set(uuid, { xid: 79, eccDbeVolatile: 2, clocksEventReasons: 0x8 });
    const { items } = await new SimulatedGpuSnapshot(model, () => at).gpuSamples({ uuids: [uuid] });
    expect(items[0]).toMatchObject({ lastXid: 79, eccDoubleBitVolatileCount: 2, clocksEventReasonsMask: 8 });
  });
});
