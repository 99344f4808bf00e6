import { gpuKey, type GpuSample, type SourceSet } from '@kcloud/metrics-source';
import type { FleetModel } from '@kcloud/fleet-model';

/**
 * The data-source contract for GPU samples, as assertions that any adapter must pass on the same scenario.
 * `describeGpuContract` is called once per adapter; the two runs must agree with the model and so with each other.
 */
export function describeGpuContract(
  name: string,
  setup: () => Promise<{ source: SourceSet; model: FleetModel; close(): Promise<void> }>,
): void {
  describe(`data-source contract: GPU samples (${name})`, () => {
    let source: SourceSet;
    let model: FleetModel;
    let close: () => Promise<void>;
    beforeAll(async () => ({ source, model, close } = await setup()));
    afterAll(async () => close?.());

    const byKey = (items: readonly GpuSample[]) => new Map(items.map((s) => [gpuKey(s), s]));

    it('returns one sample per GPU and MIG instance with the model identity, tenant and values', async () => {
      const { items, failures } = await source.gpus.gpuSamples({});
      expect(failures).toEqual([]);
      const got = byKey(items);
      const expected = model.gpus();
      expect(got.size).toBe(expected.length);
      for (const g of expected) {
        const s = got.get(g.migInstanceId ? `${g.uuid}/${g.migInstanceId}` : g.uuid)!;
        expect(s).toBeDefined();
        const truth = model.gpuByKey(g.uuid, g.migInstanceId, s.observedAt.getTime())!;
        expect([s.cluster, s.node, s.model, s.index, s.namespace, s.pod, s.container, s.migProfile]).toEqual([
          truth.cluster,
          truth.node,
          truth.model,
          truth.index,
          truth.namespace,
          truth.pod,
          truth.container,
          truth.migProfile,
        ]);
        expect(s.utilizationPercent).toBe(truth.utilizationPercent);
        expect(s.memoryUsedMiB).toBe(truth.memoryUsedMiB);
        expect(s.memoryFreeMiB).toBe(truth.memoryFreeMiB);
        expect(s.powerWatts).toBeCloseTo(truth.powerWatts, 5);
        expect(s.grEngineActiveRatio).toBeCloseTo(truth.grEngineActiveRatio, 5);
      }
    });

    it('applies namespace, node, model and uuid filters, and matches nothing for an empty list', async () => {
      const g = model.gpus().find((x) => x.namespace)!;
      for (const [filter, pred] of [
        [{ namespaces: [g.namespace!] }, (x: typeof g) => x.namespace === g.namespace],
        [{ nodes: [g.node] }, (x: typeof g) => x.node === g.node],
        [
          { models: [g.model], clusters: [g.cluster] },
          (x: typeof g) => x.model === g.model && x.cluster === g.cluster,
        ],
        [{ uuids: [g.uuid] }, (x: typeof g) => x.uuid === g.uuid],
      ] as const) {
        const { items } = await source.gpus.gpuSamples(filter);
        expect([...byKey(items).keys()].sort()).toEqual(
          model
            .gpus()
            .filter(pred)
            .map((x) => gpuKey(x))
            .sort(),
        );
      }
      expect((await source.gpus.gpuSamples({ namespaces: [] })).items).toEqual([]);
    });

    it('reports every cluster healthy', async () => {
      const health = await source.status.health();
      expect(health.map((h) => [h.cluster, h.status]).sort()).toEqual(
        model
          .clusters()
          .map((c) => [c, 'up'])
          .sort(),
      );
    });
  });
}
