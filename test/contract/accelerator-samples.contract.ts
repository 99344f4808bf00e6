import type { FleetModel } from '@kcloud/fleet-model';
import type { SourceSet, NpuSample } from '@kcloud/metrics-source';
import { at } from '../harness/indexed';

/**
 * The data-source contract for NPU samples, GPUs from all-smi / nvidia_gpu_exporter and GPU processes: the same
 * assertions for every adapter on the same scenario, so the two adapters agree with the model and with each other.
 */
export function describeAcceleratorContract(
  name: string,
  setup: () => Promise<{ source: SourceSet; model: FleetModel; close(): Promise<void> }>,
): void {
  describe(`data-source contract: accelerators (${name})`, () => {
    let source: SourceSet;
    let model: FleetModel;
    let close: () => Promise<void>;
    beforeAll(async () => ({ source, model, close } = await setup()));
    afterAll(async () => close?.());

    it('returns every NPU card with the model identity, tenant and values', async () => {
      const { items, failures } = await source.npus.npuSamples({});
      expect(failures).toEqual([]);
      const got = new Map(items.map((s) => [s.uuid, s]));
      expect(got.size).toBe(model.npus().length);
      for (const card of model.npus()) {
        const s: NpuSample = got.get(card.uuid)!;
        expect(s).toBeDefined();
        const truth = model.npus(card.cluster, s.observedAt.getTime()).find((n) => n.uuid === card.uuid)!;
        expect([
          s.cluster,
          s.node,
          s.vendor,
          s.model,
          s.device,
          s.index,
          s.namespace,
          s.pod,
          s.container,
        ]).toEqual([
          truth.cluster,
          truth.node,
          truth.vendor,
          truth.model,
          truth.device,
          truth.index,
          truth.namespace,
          truth.pod,
          truth.container,
        ]);
        expect(s.utilizationPercent).toBeCloseTo(truth.utilizationPercent, 6);
        expect(s.powerWatts).toBeCloseTo(truth.powerWatts, 6);
        expect([s.temperatureCelsius, s.ambientTemperatureCelsius]).toEqual([
          truth.temperatureCelsius,
          truth.ambientTemperatureCelsius,
        ]);
        expect([s.memoryUsedMiB, s.memoryTotalMiB, s.healthy]).toEqual([
          truth.memoryUsedMiB,
          truth.memoryTotalMiB,
          truth.healthy,
        ]);
      }
    });

    it('applies node, namespace and uuid filters to NPUs, and matches nothing for an empty list', async () => {
      const card = model.npus().find((n) => n.namespace)!;
      for (const [filter, pred] of [
        [{ nodes: [card.node] }, (n: typeof card) => n.node === card.node],
        [{ namespaces: [card.namespace!] }, (n: typeof card) => n.namespace === card.namespace],
        [{ uuids: [card.uuid], clusters: [card.cluster] }, (n: typeof card) => n.uuid === card.uuid],
      ] as const) {
        const { items } = await source.npus.npuSamples(filter);
        expect(items.map((s) => s.uuid).sort()).toEqual(
          model
            .npus()
            .filter(pred)
            .map((n) => n.uuid)
            .sort(),
        );
      }
      expect((await source.npus.npuSamples({ namespaces: [] })).items).toEqual([]);
    });

    it('reports GPUs of every cluster as its own exporter does (all-smi: no tenant, no reservation)', async () => {
      const { items, failures } = await source.gpus.gpuSamples({});
      expect(failures).toEqual([]);
      const reported = model.reportedGpus();
      expect(items).toHaveLength(reported.length);
      for (const s of items) {
        const truth = model
          .reportedGpus(s.cluster, s.observedAt.getTime())
          .find((g) => g.uuid === s.uuid && g.migInstanceId === s.migInstanceId)!;
        expect(truth).toBeDefined();
        expect([s.node, s.model, s.index, s.namespace, s.pod, s.driverVersion]).toEqual([
          truth.node,
          truth.model,
          truth.index,
          truth.namespace,
          truth.pod,
          truth.driverVersion,
        ]);
        expect([s.utilizationPercent, s.memoryUsedMiB, s.memoryFreeMiB, s.memoryReservedMiB]).toEqual([
          truth.utilizationPercent,
          truth.memoryUsedMiB,
          truth.memoryFreeMiB,
          truth.memoryReservedMiB,
        ]);
        expect(s.powerWatts).toBeCloseTo(truth.powerWatts, 6);
        expect([s.temperatureCelsius, s.smClockMHz, s.powerLimitWatts]).toEqual([
          truth.temperatureCelsius,
          truth.smClockMHz,
          truth.powerLimitWatts,
        ]);
      }
    });

    it('returns the GPU processes the exporters report, and only those of the GPUs asked for', async () => {
      const { items, failures } = await source.processes.gpuProcesses({});
      expect(failures).toEqual([]);
      const expected = model.gpuProcesses();
      expect(expected.length).toBeGreaterThan(0);
      expect(items).toHaveLength(expected.length);
      for (const p of items) {
        const truth = model
          .gpuProcesses(p.cluster, p.observedAt.getTime())
          .find((x) => x.gpuUuid === p.gpuUuid && x.pid === p.pid)!;
        expect(truth).toBeDefined();
        expect([p.name, p.user, p.command, p.gpuMemoryUsedMiB, p.cpuPercent]).toEqual([
          truth.name,
          truth.user,
          truth.command,
          truth.gpuMemoryUsedMiB,
          truth.cpuPercent,
        ]);
      }
      const gpu = at(expected, 0, 'simulated GPU process').gpuUuid;
      const one = await source.processes.gpuProcesses({ uuids: [gpu] });
      expect(one.items.map((p) => p.pid).sort()).toEqual(
        expected
          .filter((p) => p.gpuUuid === gpu)
          .map((p) => p.pid)
          .sort(),
      );
    });
  });
}
