import { defaultScenario, FleetModel, gpuKeyOf, windowAverages } from '@kcloud/fleet-model';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0); // on a 10 s bucket boundary
const model = new FleetModel(defaultScenario());
const at = (ms: number) => new Map(model.gpus(undefined, ms).map((g) => [gpuKeyOf(g), g]));

describe('windowAverages', () => {
  it('equals the instant values inside one bucket', () => {
    const now = at(T0 + 2_000);
    for (const w of windowAverages(model, T0 + 1_000, T0 + 9_000)) {
      const g = now.get(gpuKeyOf(w.gpu))!;
      expect(w.averages.powerWatts).toBeCloseTo(g.powerWatts, 9);
      expect(w.averages.memoryUsedMiB).toBeCloseTo(g.memoryUsedMiB, 9);
      expect(w.averages.utilizationPercent).toBe(g.utilizationPercent);
    }
  });

  it('weights each bucket by its overlap with the window', () => {
    // 2.5 s of bucket 0, 10 s of bucket 1, 5 s of bucket 2.
    const from = T0 + 7_500;
    const to = T0 + 25_000;
    const [b0, b1, b2] = [at(T0), at(T0 + 10_000), at(T0 + 20_000)];
    for (const w of windowAverages(model, from, to, 'kcloud-east')) {
      const key = gpuKeyOf(w.gpu);
      const expected =
        (2.5 * b0.get(key)!.powerWatts + 10 * b1.get(key)!.powerWatts + 5 * b2.get(key)!.powerWatts) / 17.5;
      expect(w.averages.powerWatts).toBeCloseTo(expected, 9);
      expect(w.gpu.cluster).toBe('kcloud-east');
    }
  });

  it('leaves GPU_UTIL and MEM_COPY_UTIL out for MIG instances, as the exporter does', () => {
    const mig = windowAverages(model, T0, T0 + 60_000).filter((w) => w.gpu.migInstanceId);
    expect(mig.length).toBeGreaterThan(0);
    for (const w of mig) {
      expect(w.averages.utilizationPercent).toBeUndefined();
      expect(w.averages.memoryCopyUtilizationPercent).toBeUndefined();
      expect(w.averages.grEngineActiveRatio).toBeDefined();
    }
  });

  it('returns the instant values for an empty window and rejects a reversed one', () => {
    const now = at(T0 + 3_000);
    const [w] = windowAverages(model, T0 + 3_000, T0 + 3_000);
    if (!w) throw new Error('no window averages');
    expect(w.averages.powerWatts).toBeCloseTo(now.get(gpuKeyOf(w.gpu))!.powerWatts, 9);
    expect(() => windowAverages(model, T0 + 1, T0)).toThrow(RangeError);
  });
});
