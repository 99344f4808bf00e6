import type { AppConfig, ClusterConfig, PartialResult } from '@kcloud/common';
import {
  aggregate,
  type ClusterRegistry,
  type PrometheusClient,
  type PromQL,
  type RangeOptions,
  selector,
} from '@kcloud/prometheus';
import { matchesDevice, matchesNothing } from '../shared/device-filter';
import type { DeviceFilter } from '../shared/device-filter';
import type { GpuPowerPoint, GpuSeriesPoint, GpuSeriesSource, SeriesRange } from './gpu-series.port';
import { type ChunkRead, chunkedSeries } from './chunked-series';
import { aggregatePower } from './power-aggregate';
import { joinGpuSeries, powerRows } from './gpu-series-join';
import { gpuPowerQuery, gpuPowerSeriesCount, hasTenantFilter } from './gpu-series-queries';
import { deviceMatchers, gpuIdentityQuery, gpuValuesQuery } from '../gpu-snapshot/gpu-queries';
import { DCGM_IDENTITY_METRIC, DCGM_SERIES_FAMILIES } from '../gpu-snapshot/dcgm-families';
import { detectFromLabels, labelNamesFor } from '../gpu-snapshot/tenant-labels';
import type { DcgmTenantShapes } from '../gpu-snapshot/tenant-shapes';

/** One cluster's rows for a chunk, and the raw series Prometheus sent for them. */
type ClusterRead<T> = (
  client: PrometheusClient,
  cluster: ClusterConfig,
  opts: RangeOptions,
) => Promise<{ readonly rows: T[]; readonly series: number }>;

/** A cluster's instant `count(...)` of what a chunk will read, for sizing the first chunk. */
type ClusterCount = (client: PrometheusClient, cluster: ClusterConfig) => Promise<PromQL>;

/**
 * Range reads from Prometheus. Per chunk and cluster: two range queries for metrics (identity + every value
 * family in one selector) and one for power, whatever the GPU count; clusters are read in parallel.
 */
export class PrometheusGpuSeries implements GpuSeriesSource {
  private readonly exporterPod: RegExp;

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly config: AppConfig,
    private readonly shapes: DcgmTenantShapes,
  ) {
    this.exporterPod = new RegExp(config.prometheus.exporterPodPattern);
  }

  async *gpuMetricSeries(
    filter: DeviceFilter,
    range: SeriesRange,
  ): AsyncGenerator<PartialResult<GpuSeriesPoint>> {
    if (matchesNothing(filter)) return;
    const matchersOf = async (client: PrometheusClient, cluster: ClusterConfig) => {
      const mode = await this.shapes.shapeOf(client, cluster, filter);
      return {
        mode,
        matchers: deviceMatchers(filter, labelNamesFor(mode), this.registry.scopeMatchers(cluster.name)),
      };
    };
    // Identity is one series per device, values up to one per device and family.
    const seriesPerDevice = 1 + DCGM_SERIES_FAMILIES.length;
    const count: ClusterCount = async (client, cluster) => {
      const { matchers } = await matchersOf(client, cluster);
      return aggregate('count', [], selector(DCGM_IDENTITY_METRIC, matchers));
    };
    yield* this.chunked(
      filter,
      range,
      async (client, cluster, opts) => {
        const { mode, matchers } = await matchersOf(client, cluster);
        const [identity, values] = await Promise.all([
          client.range(gpuIdentityQuery(matchers), opts),
          client.range(gpuValuesQuery(matchers, DCGM_SERIES_FAMILIES), opts),
        ]);
        const names = labelNamesFor(this.shapeOf(cluster, identity, mode));
        // Nodes are matched here: dcgm-exporter spells the host label two ways (see deviceMatchers).
        const rows = joinGpuSeries(cluster.name, identity, values, names, this.exporterPod).filter((p) =>
          matchesDevice(filter, p),
        );
        return { rows, series: identity.length + values.length };
      },
      count,
      seriesPerDevice,
    );
  }

  async *gpuPowerSeries(
    filter: DeviceFilter,
    range: SeriesRange,
  ): AsyncGenerator<PartialResult<GpuPowerPoint>> {
    if (matchesNothing(filter)) return;
    // Without tenant filters the full label sets tell the tenant shape, so no probe is needed; with them the
    // matchers must name the right labels (exported_namespace on a honor_labels: false scrape).
    const modeOf = (client: PrometheusClient, cluster: ClusterConfig): Promise<'exported' | 'plain'> =>
      hasTenantFilter(filter) ? this.shapes.shapeOf(client, cluster, filter) : Promise.resolve('plain');
    const count: ClusterCount = async (client, cluster) =>
      gpuPowerSeriesCount(
        filter,
        labelNamesFor(await modeOf(client, cluster)),
        this.registry.scopeMatchers(cluster.name),
      );
    yield* this.chunked(
      filter,
      range,
      async (client, cluster, opts) => {
        const mode = await modeOf(client, cluster);
        const query = gpuPowerQuery(filter, labelNamesFor(mode), this.registry.scopeMatchers(cluster.name));
        const series = await client.range(query, opts);
        const names = labelNamesFor(this.shapeOf(cluster, series, mode));
        const rows = aggregatePower(
          powerRows(cluster.name, series, names, this.exporterPod),
          (row) => matchesDevice(filter, row),
          hasTenantFilter(filter),
        );
        return { rows, series: series.length };
      },
      count,
      1,
    );
  }

  /**
   * Chunks sized by what Prometheus sends (raw series × points), not by the rows left after filtering: the first
   * chunk by an instant count at the range's end (× `seriesPerCounted`), the next ones by the series seen.
   */
  private chunked<T extends { readonly timestamp: Date }>(
    filter: DeviceFilter,
    range: SeriesRange,
    read: ClusterRead<T>,
    count: ClusterCount,
    seriesPerCounted: number,
  ): AsyncGenerator<PartialResult<T>> {
    const estimate = async (): Promise<number> => {
      // A failed count only loses the estimate; the chunk reads report the cluster's failure.
      const { results } = await this.registry.fanOut(filter.clusters, async (client, cluster) => {
        const [sample] = await client.instant(await count(client, cluster), { time: range.to });
        return sample?.value ?? 0;
      });
      return results.reduce((sum, r) => sum + r.value, 0) * seriesPerCounted;
    };
    return chunkedSeries(
      range,
      async (start, end): Promise<ChunkRead<T>> => {
        const opts: RangeOptions = { start, end, stepSeconds: range.stepSeconds };
        const { results, failures } = await this.registry.fanOut(filter.clusters, (client, cluster) =>
          read(client, cluster, opts),
        );
        return {
          items: results.flatMap((r) => r.value.rows),
          failures,
          series: results.reduce((sum, r) => sum + r.value.series, 0),
        };
      },
      estimate,
    );
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
