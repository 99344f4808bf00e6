import type { PartialResult } from '@kcloud/common';
import type { FleetModel } from '@kcloud/fleet-model';
import { simulatedGpuSample } from '../gpu-snapshot/gpu-snapshot.simulated';
import { matchesDevice, matchesNothing } from '../shared/device-filter';
import type { DeviceFilter } from '../shared/device-filter';
import type { GpuPowerPoint, GpuSeriesPoint, GpuSeriesSource, SeriesRange } from './gpu-series.port';
import { chunkedSeries } from './chunked-series';
import { aggregatePower } from './power-aggregate';

/**
 * Range reads from the fleet model: the model evaluated at every step, which is what a Prometheus scraping the
 * simulator would answer there (the model is a pure function of time). Chunked like the real adapter.
 */
export class SimulatedGpuSeries implements GpuSeriesSource {
  constructor(private readonly model: FleetModel) {}

  async *gpuMetricSeries(
    filter: DeviceFilter,
    range: SeriesRange,
  ): AsyncGenerator<PartialResult<GpuSeriesPoint>> {
    if (matchesNothing(filter)) return;
    yield* chunkedSeries(range, async (from, to) => ({
      items: this.steps(from, to, range.stepSeconds).flatMap((t) =>
        this.model
          .gpus(undefined, t)
          .filter((g) => matchesDevice(filter, g))
          .map((g) => ({ ...simulatedGpuSample(this.model, g, new Date(t)), timestamp: new Date(t) })),
      ),
      failures: [],
    }));
  }

  async *gpuPowerSeries(
    filter: DeviceFilter,
    range: SeriesRange,
  ): AsyncGenerator<PartialResult<GpuPowerPoint>> {
    if (matchesNothing(filter)) return;
    yield* chunkedSeries(range, async (from, to) => {
      const rows = this.steps(from, to, range.stepSeconds).flatMap((t) =>
        this.model.gpus(undefined, t).map((g) => ({ ...g, timestampMs: t })),
      );
      return { items: aggregatePower(rows, (g) => matchesDevice(filter, g)), failures: [] };
    });
  }

  private steps(from: Date, to: Date, stepSeconds: number): number[] {
    const out: number[] = [];
    for (let t = from.getTime(); t <= to.getTime(); t += stepSeconds * 1000) out.push(t);
    return out;
  }
}
