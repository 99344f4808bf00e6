import { defaultScenario, FleetModel, gpuKeyOf } from '@kcloud/fleet-model';
import { firstN } from '../testing/first-n';
import { SimulatedDeviceQuality } from './device-quality.simulated';

describe('SimulatedDeviceQuality', () => {
  const model = new FleetModel(defaultScenario());
  const source = new SimulatedDeviceQuality(model, () => 1_750_000_000_000);

  afterEach(() => model.frozen.thaw());

  it('has no targets to be down and nothing frozen by default', async () => {
    const { items, failures } = await source.gpuEvidence({});
    expect(failures).toEqual([]);
    expect(items.map((e) => e.cluster)).toEqual(model.clusters());
    for (const e of items) expect([e.targets, e.frozenKeys, e.unreachable]).toEqual([[], [], []]);
  });

  it('reports every device of a GPU frozen in the model (its MIG instances too), in its cluster only', async () => {
    const mig = model.gpus().find((g) => g.migInstanceId !== undefined)!;
    model.frozen.freeze(mig.uuid);
    const { items } = await source.gpuEvidence({ clusters: [mig.cluster] });
    expect(items).toHaveLength(1);
    const [evidence] = firstN(items, 1);
    expect([...evidence.frozenKeys].sort()).toEqual(
      model
        .gpus(mig.cluster)
        .filter((g) => g.uuid === mig.uuid)
        .map(gpuKeyOf)
        .sort(),
    );
  });

  it('answers nothing for a filter that matches nothing', async () => {
    expect(await source.gpuEvidence({ clusters: [] })).toEqual({ items: [], failures: [] });
  });
});
