import type { AppConfig, PartialResult } from '@kcloud/common';
import type { ClusterRegistry } from '@kcloud/prometheus';
import { matchesDevice, matchesNothing } from '../shared/device-filter';
import type { DeviceFilter } from '../shared/device-filter';
import type { SeriesRange } from '../gpu-series/gpu-series.port';
import type { NpuSeriesPoint, NpuSeriesSource } from './npu-series.port';
import { joinNpuSeries } from './npu-series-join';
import { npuIdentityQuery, npuValuesQuery } from './npu-queries';
import { npuExporterPods, npuTenantMode } from './npu.prometheus';
import { labelNamesFor } from '../gpu-snapshot/tenant-labels';

/**
 * NPU history: the instant reads' two queries (identity, values) as range queries, two requests per cluster whatever
 * the card count or range (callers bound the points: NPU fleets are small and a history range is at most 11,000
 * steps). Filters apply per step in memory, as for the instant read.
 */
export class PrometheusNpuSeries implements NpuSeriesSource {
  private readonly exporterPod: RegExp;

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly config: AppConfig,
  ) {
    this.exporterPod = npuExporterPods(config);
  }

  async npuSeries(filter: DeviceFilter, range: SeriesRange): Promise<PartialResult<NpuSeriesPoint>> {
    if (matchesNothing(filter)) return { items: [], failures: [] };
    const opts = { start: range.from, end: range.to, stepSeconds: range.stepSeconds };
    const { results, failures } = await this.registry.fanOut(filter.clusters, async (client, cluster) => {
      const scope = this.registry.scopeMatchers(cluster.name);
      const [identity, values] = await Promise.all([
        client.range(npuIdentityQuery(scope), opts),
        client.range(npuValuesQuery(scope), opts),
      ]);
      const mode = npuTenantMode(this.config, cluster, identity);
      return joinNpuSeries(cluster.name, identity, values, labelNamesFor(mode), this.exporterPod);
    });
    return { items: results.flatMap((r) => r.value).filter((n) => matchesDevice(filter, n)), failures };
  }
}
