import type { PartialResult } from '@kcloud/common';
import type { FleetModel } from '@kcloud/fleet-model';
import { matchesDevice, matchesNothing } from '../shared/device-filter';
import type { DeviceFilter } from '../shared/device-filter';
import type { SeriesRange } from '../gpu-series/gpu-series.port';
import type { NpuSeriesPoint, NpuSeriesSource } from './npu-series.port';
import { simulatedNpuSample } from './npu.simulated';

/** The simulated fleet's cards at every step of the range (nothing after now: the future has no samples). */
export class SimulatedNpuSeries implements NpuSeriesSource {
  constructor(
    private readonly model: FleetModel,
    private readonly now: () => number = Date.now,
  ) {}

  async npuSeries(filter: DeviceFilter, range: SeriesRange): Promise<PartialResult<NpuSeriesPoint>> {
    if (matchesNothing(filter)) return { items: [], failures: [] };
    const items: NpuSeriesPoint[] = [];
    const end = Math.min(range.to.getTime(), this.now());
    for (let t = range.from.getTime(); t <= end; t += range.stepSeconds * 1000)
      for (const n of this.model.npus(undefined, t))
        if (matchesDevice(filter, n)) items.push({ ...simulatedNpuSample(n, t), timestamp: new Date(t) });
    return { items, failures: [] };
  }
}
