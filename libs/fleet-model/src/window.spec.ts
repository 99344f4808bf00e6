import {
  defaultScenario,
  FleetModel,
  gpuKeyOf,
  type SimGpu,
  type SimGpuWindow,
  WINDOW_FIELDS,
  type WindowField,
  windowAverages,
} from '@kcloud/fleet-model';

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

/** The window as it was computed before the typed arrays: a row object per device and bucket, summed per key. */
function naiveWindow(model: FleetModel, fromMs: number, toMs: number, cluster?: string): SimGpuWindow[] {
  const tickMs = model.tickSeconds * 1000;
  const sums = new Map<string, { gpu: SimGpu; sums: Partial<Record<WindowField, number>> }>();
  const span = toMs - fromMs;
  for (let bucket = model.bucketOf(fromMs); bucket <= model.bucketOf(toMs); bucket++) {
    const start = Math.max(fromMs, bucket * tickMs);
    const weight = span === 0 ? 1 : (Math.min(toMs, (bucket + 1) * tickMs) - start) / span;
    if (weight <= 0) continue;
    for (const gpu of model.gpus(cluster, start)) {
      const entry = sums.get(gpuKeyOf(gpu)) ?? { gpu, sums: {} };
      entry.gpu = gpu;
      for (const field of WINDOW_FIELDS) {
        const value = gpu[field];
        if (value !== undefined) entry.sums[field] = (entry.sums[field] ?? 0) + value * weight;
      }
      sums.set(gpuKeyOf(gpu), entry);
    }
  }
  return [...sums.values()].map(({ gpu, sums: averages }) => ({ gpu, fromMs, toMs, averages }));
}

describe('windowAverages without a row object per bucket', () => {
  it('gives bit-identical averages, keys and identities to summing the rows of every bucket', () => {
    const m = new FleetModel(defaultScenario());
    const rows = m.gpus(undefined, T0);
    const whole = rows.find((g) => !g.migInstanceId)!;
    const slice = rows.find((g) => g.migInstanceId)!;
    m.frozen.freeze(whole.uuid, T0 - 95_000); // sampled in an older bucket than its neighbours
    m.setPattern(slice.uuid, slice.migInstanceId, 'training', undefined, T0 - 200_000);
    const windows: [number, number, string?][] = [
      [T0 - 600_000, T0],
      [T0 - 600_000 + 7, T0 + 2_500], // partial first and last buckets
      [T0 + 3_000, T0 + 3_000], // an instant
      [T0 - 10_000, T0 - 3],
      [T0 - 300_000, T0, 'kcloud-east'],
      [T0 - 60_000, T0, 'no-such-cluster'],
    ];
    for (const [from, to, cluster] of windows) {
      const fast = windowAverages(m, from, to, cluster);
      const naive = naiveWindow(m, from, to, cluster);
      expect(fast.map((w) => gpuKeyOf(w.gpu))).toEqual(naive.map((w) => gpuKeyOf(w.gpu)));
      fast.forEach((w, i) => {
        const n = naive[i]!;
        expect({ ...w.gpu, energyMillijoules: 0 }).toEqual({ ...n.gpu, energyMillijoules: 0 });
        expect(Object.keys(w.averages)).toEqual(Object.keys(n.averages));
        for (const field of WINDOW_FIELDS) expect(Object.is(w.averages[field], n.averages[field])).toBe(true);
      });
    }
  });

  it('writes for each row of gpus() the values that row reports, NaN where it reports none', () => {
    const m = new FleetModel(defaultScenario());
    const rows = m.gpus(undefined, T0 + 4_000);
    const values = new Float64Array(rows.length * WINDOW_FIELDS.length);
    expect(m.windowValues(undefined, T0 + 4_000, values)).toBe(rows.length);
    rows.forEach((g, r) =>
      WINDOW_FIELDS.forEach((field, f) => expect(values[r * WINDOW_FIELDS.length + f]).toBe(g[field] ?? NaN)),
    );
  });
});
