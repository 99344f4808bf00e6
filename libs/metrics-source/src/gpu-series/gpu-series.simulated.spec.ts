import { defaultScenario, FleetModel, gpuKeyOf } from '@kcloud/fleet-model';
import type { GpuPowerPoint, GpuSeriesPoint } from './gpu-series.port';
import { SimulatedGpuSeries } from './gpu-series.simulated';

const FROM = new Date('2025-06-01T00:00:00Z');
const TO = new Date('2025-06-01T01:00:00Z');

async function all<T>(it: AsyncIterable<{ items: readonly T[] }>): Promise<T[]> {
  const out: T[] = [];
  for await (const b of it) out.push(...b.items);
  return out;
}

describe('SimulatedGpuSeries range reads', () => {
  const model = new FleetModel(defaultScenario());
  const source = new SimulatedGpuSeries(model);
  const range = { from: FROM, to: TO, stepSeconds: 300, maxRowsPerBatch: 50 };

  it('answers the model at every step for every device in the filter', async () => {
    const points: GpuSeriesPoint[] = await all(
      source.gpuMetricSeries({ namespaces: ['ml-training'] }, range),
    );
    const steps = 13;
    const expected = model.gpus(undefined, FROM.getTime()).filter((g) => g.namespace === 'ml-training');
    expect(points).toHaveLength(steps * expected.length);
    for (const p of points) {
      const truth = model.gpuByKey(p.uuid, p.migInstanceId, p.timestamp.getTime())!;
      expect(p.namespace).toBe('ml-training');
      expect(p.powerWatts).toBe(truth.powerWatts);
      expect(p.utilizationPercent).toBe(truth.utilizationPercent);
      expect(p.energyJoules).toBe(truth.energyMillijoules / 1000);
    }
    expect(new Set(points.map((p) => gpuKeyOf(p))).size).toBe(expected.length);
  });

  it('sums board power per node and namespace, each physical GPU once', async () => {
    const points: GpuPowerPoint[] = await all(source.gpuPowerSeries({}, range));
    for (const t of [FROM.getTime(), TO.getTime()]) {
      const boards = new Map(model.gpus(undefined, t).map((g) => [g.uuid, g.powerWatts]));
      const total = points.filter((p) => p.timestamp.getTime() === t).reduce((s, p) => s + p.powerWatts, 0);
      expect(total).toBeCloseTo(
        [...boards.values()].reduce((a, b) => a + b, 0),
        2,
      );
    }
  });

  it('returns nothing for a filter that matches nothing', async () => {
    expect(await all(source.gpuMetricSeries({ clusters: [] }, range))).toEqual([]);
    expect(await all(source.gpuPowerSeries({ namespaces: [] }, range))).toEqual([]);
  });
});
