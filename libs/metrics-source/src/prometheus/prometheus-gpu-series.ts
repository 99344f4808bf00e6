import type { AppConfig, ClusterConfig, PartialResult } from '@kcloud/common';
import type { ClusterRegistry, PrometheusClient, RangeOptions } from '@kcloud/prometheus';
import { matchesDevice, matchesNothing } from '../device-filter';
import type { DeviceFilter } from '../metric-source.port';
import type { GpuPowerPoint, GpuSeriesPoint, GpuSeriesSource, SeriesRange } from '../ports/gpu-series.port';
import { chunkedSeries } from '../series/chunked-series';
import { aggregatePower } from '../series/power-aggregate';
import { joinGpuSeries, powerRows } from './gpu-series-join';
import { gpuPowerQuery } from './gpu-series-queries';
import { deviceMatchers, gpuIdentityQuery, gpuValuesQuery } from './gpu-queries';
import { detectFromLabels, labelNamesFor } from './tenant-labels';

/** How PrometheusSource resolves a cluster's tenant-label shape (configured, cached or probed). */
export type TenantShapeResolver = (
  client: PrometheusClient,
  cluster: ClusterConfig,
  filter: DeviceFilter,
) => Promise<'exported' | 'plain'>;

type ClusterRead<T> = (client: PrometheusClient, cluster: ClusterConfig, opts: RangeOptions) => Promise<T[]>;

/**
 * Range reads for PrometheusSource. Per chunk and cluster: two range queries for metrics (identity + every value
 * family in one selector) and one for power, whatever the GPU count; clusters are read in parallel.
 */
export class PrometheusGpuSeries implements GpuSeriesSource {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly config: AppConfig,
    private readonly exporterPod: RegExp,
    private readonly tenantShape: TenantShapeResolver,
  ) {}

  async *gpuMetricSeries(filter: DeviceFilter, range: SeriesRange): AsyncGenerator<PartialResult<GpuSeriesPoint>> {
    if (matchesNothing(filter)) return;
    yield* this.chunked(filter, range, async (client, cluster, opts) => {
      const mode = await this.tenantShape(client, cluster, filter);
      const matchers = deviceMatchers(filter, labelNamesFor(mode), this.registry.scopeMatchers(cluster.name));
      const [identity, values] = await Promise.all([
        client.range(gpuIdentityQuery(matchers), opts),
        client.range(gpuValuesQuery(matchers), opts),
      ]);
      const names = labelNamesFor(this.shapeOf(cluster, identity, mode));
      // Nodes are matched here: dcgm-exporter spells the host label two ways (see deviceMatchers).
      return joinGpuSeries(cluster.name, identity, values, names, this.exporterPod).filter((p) =>
        matchesDevice(filter, p),
      );
    });
  }

  async *gpuPowerSeries(filter: DeviceFilter, range: SeriesRange): AsyncGenerator<PartialResult<GpuPowerPoint>> {
    if (matchesNothing(filter)) return;
    yield* this.chunked(filter, range, async (client, cluster, opts) => {
      const series = await client.range(gpuPowerQuery(filter, this.registry.scopeMatchers(cluster.name)), opts);
      // The full label sets are at hand, so the tenant shape is read from them without a probe.
      const names = labelNamesFor(this.shapeOf(cluster, series, 'plain'));
      return aggregatePower(powerRows(cluster.name, series, names, this.exporterPod), (row) =>
        matchesDevice(filter, row),
      );
    });
  }

  private chunked<T extends { readonly timestamp: Date }>(
    filter: DeviceFilter,
    range: SeriesRange,
    read: ClusterRead<T>,
  ): AsyncGenerator<PartialResult<T>> {
    return chunkedSeries(range, async (start, end) => {
      const opts: RangeOptions = { start, end, stepSeconds: range.stepSeconds };
      const { results, failures } = await this.registry.fanOut(filter.clusters, (client, cluster) =>
        read(client, cluster, opts),
      );
      return { items: results.flatMap((r) => r.value), failures };
    });
  }

  /** The configured shape, or in auto mode `exported` as soon as any series carries exported_* labels. */
  private shapeOf(
    cluster: ClusterConfig,
    series: readonly { readonly labels: Readonly<Record<string, string>> }[],
    fallback: 'exported' | 'plain',
  ): 'exported' | 'plain' {
    const configured = cluster.tenantLabels ?? this.config.prometheus.tenantLabels;
    if (configured !== 'auto') return configured;
    return detectFromLabels(series.map((s) => s.labels)) ?? fallback;
  }
}
