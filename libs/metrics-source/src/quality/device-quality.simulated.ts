import type { PartialResult } from '@kcloud/common';
import type { FleetModel } from '@kcloud/fleet-model';
import { matchesNothing } from '../shared/device-filter';
import type { DeviceFilter } from '../shared/device-filter';
import type {
  ClusterQualityEvidence,
  DeviceQualitySource,
  GpuQualityEvidence,
  NpuQualityEvidence,
} from './device-quality.port';

/**
 * The simulated adapter: the in-process fleet has no scrape targets, so nothing is ever down or stale; a GPU frozen
 * through the model (`model.frozen`) is reported frozen, as Prometheus would after enough identical scrapes.
 */
export class SimulatedDeviceQuality implements DeviceQualitySource {
  constructor(
    private readonly model: FleetModel,
    private readonly now: () => number = Date.now,
  ) {}

  gpuEvidence(filter: DeviceFilter): Promise<PartialResult<GpuQualityEvidence>> {
    // The frozen devices' keys straight from the model: sampling the whole fleet to find them cost a row per GPU.
    return Promise.resolve(this.evidence(filter, this.model.frozenRowKeys()));
  }

  npuEvidence(filter: DeviceFilter): Promise<PartialResult<NpuQualityEvidence>> {
    return Promise.resolve(this.evidence(filter, []));
  }

  private evidence<S>(
    filter: DeviceFilter,
    frozen: readonly { cluster: string; key: string }[],
  ): PartialResult<ClusterQualityEvidence<S>> {
    if (matchesNothing(filter)) return { items: [], failures: [] };
    const evaluatedAt = new Date(this.now());
    const clusters = this.model.clusters().filter((c) => !filter.clusters || filter.clusters.includes(c));
    return {
      items: clusters.map((cluster) => ({
        cluster,
        evaluatedAt,
        targets: [],
        frozenKeys: frozen.filter((f) => f.cluster === cluster).map((f) => f.key),
        unreachable: [],
      })),
      failures: [],
    };
  }
}
