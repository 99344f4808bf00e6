import { defaultScenario, FleetModel } from '@kcloud/fleet-model';
import { firstN } from '../testing/first-n';
import { SimulatedGpuSnapshot } from './gpu-snapshot.simulated';

describe('simulated adapter reading quality', () => {
  const at = Date.UTC(2026, 0, 1);

  it('serves a dcgm blank set on the model as null with its reason, like the Prometheus adapter', async () => {
    const model = new FleetModel(defaultScenario());
    const source = new SimulatedGpuSnapshot(model, () => at);
    const gpu = model.gpus(undefined, at).find((g) => !g.migInstanceId)!;
    model.blanks.set({ metric: 'DCGM_FI_DEV_GPU_TEMP', uuid: gpu.uuid, form: 'int64' });
    model.blanks.set({ metric: 'DCGM_FI_DEV_POWER_USAGE', uuid: gpu.uuid, form: 'nan' });
    const { items } = await source.gpuSamples({ uuids: [gpu.uuid] });
    const [item] = firstN(items, 1);
    expect(item).toMatchObject({ uuid: gpu.uuid, memoryUsedMiB: gpu.memoryUsedMiB });
    expect(item.temperatureCelsius).toBeUndefined();
    expect(item.powerWatts).toBeUndefined();
    expect(item.invalidReadings).toEqual([
      { field: 'powerWatts', reason: 'NOT_A_NUMBER' },
      { field: 'temperatureCelsius', reason: 'DCGM_BLANK' },
    ]);
    const others = await source.gpuSamples({});
    expect(others.items.filter((s) => s.invalidReadings).map((s) => s.uuid)).toEqual([gpu.uuid]);
  });

  it('keeps every model value exactly while no blank is set', async () => {
    const model = new FleetModel(defaultScenario());
    const { items } = await new SimulatedGpuSnapshot(model, () => at).gpuSamples({});
    const truth = model.gpus(undefined, at);
    expect(items.every((s) => s.invalidReadings === undefined)).toBe(true);
    expect(items.map((s) => [s.temperatureCelsius, s.powerWatts, s.energyJoules])).toEqual(
      truth.map((g) => [g.temperatureCelsius, g.powerWatts, g.energyMillijoules / 1000]),
    );
  });

  it('gives every sample of a read one shape and one observedAt, blanked, MIG and whole GPUs alike', async () => {
    const model = new FleetModel(defaultScenario());
    const gpu = model.gpus(undefined, at).find((g) => !g.migInstanceId)!;
    model.blanks.set({ metric: 'DCGM_FI_DEV_GPU_TEMP', uuid: gpu.uuid, form: 'int64' });
    const { items } = await new SimulatedGpuSnapshot(model, () => at).gpuSamples({});
    const [first] = firstN(items, 1);
    expect(items.some((s) => s.migInstanceId) && items.some((s) => s.invalidReadings)).toBe(true);
    for (const s of items) {
      expect(Object.keys(s)).toEqual(Object.keys(first));
      expect(s.observedAt).toBe(first.observedAt);
    }
    expect(first.observedAt.getTime()).toBe(at);
  });
});
