import { defaultScenario, FleetModel } from '@kcloud/fleet-model';
import { SimulatedGpuSnapshot } from './gpu-snapshot.simulated';

const at = Date.UTC(2026, 0, 15, 12, 0, 3);

describe('SimulatedGpuSnapshot GPU health readings', () => {
  it('answers the default-CSV health rows only, like the simulated dcgm-exporter', async () => {
    const { items } = await new SimulatedGpuSnapshot(new FleetModel(defaultScenario()), () => at).gpuSamples(
      {},
    );
    expect(items[0]).toMatchObject({ lastXid: 0, pcieReplayCount: 0, rowRemapFailureFlag: 0 });
    expect(items[0].eccDoubleBitVolatileCount).toBeUndefined();
    expect(items[0].clocksEventReasonsMask).toBeUndefined();
    expect(items[0].memoryClockMHz).toBeGreaterThan(0);
  });

  it('answers every health row and an injected fault when the scenario enables them', async () => {
    const model = new FleetModel({ ...defaultScenario(), dcgmHealthCounters: 'all' });
    const uuid = model.gpus(undefined, at)[0].uuid;
    model.faults.set(uuid, { xid: 79, eccDbeVolatile: 2, clocksEventReasons: 0x8 });
    const { items } = await new SimulatedGpuSnapshot(model, () => at).gpuSamples({ uuids: [uuid] });
    expect(items[0]).toMatchObject({ lastXid: 79, eccDoubleBitVolatileCount: 2, clocksEventReasonsMask: 8 });
  });
});
