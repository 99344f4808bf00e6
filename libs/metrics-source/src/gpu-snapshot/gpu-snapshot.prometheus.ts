import { Injectable, Logger } from '@nestjs/common';
import { AppConfig, type ClusterConfig, type PartialResult, type TenantLabelMode } from '@kcloud/common';
import { ClusterRegistry, type PrometheusClient } from '@kcloud/prometheus';
import { matchesDevice, matchesNothing } from '../shared/device-filter';
import type { ClusterHealth, DeviceFilter, GpuSample, MetricSource } from './gpu-sample';
import type { GpuPowerPoint, GpuSeriesPoint, SeriesRange } from '../gpu-series/gpu-series.port';
import { PrometheusGpuSeries } from '../gpu-series/gpu-series.prometheus';
import type {
  ContainerPowerSample,
  FacilityPowerSample,
  FacilitySourceInfo,
  InfraFilter,
  IpmiSensorSample,
  KubeNodeSample,
  NodeEnergySample,
  NodePowerSample,
  NodePowerSeries,
  PodEnergySample,
  PodPowerSample,
  PodPowerSeries,
  PowerRangeWindow,
} from '../power/power.port';
import { PrometheusPowerReader } from '../power/power.prometheus';
import { joinGpuSamples } from './gpu-join';
import { deviceMatchers, exportedShapeProbe, gpuIdentityQuery, gpuValuesQuery } from './gpu-queries';
import { detectFromLabels, labelNamesFor } from './tenant-labels';
import { readAltGpuSamples } from './alt-gpu.reader';
import { readGpuProcesses } from '../gpu-processes/gpu-process.prometheus';
import { PrometheusNpuReader } from '../npus/npu.prometheus';
import type { GpuProcessSample, NpuSample } from '../npus/npu.port';
import { PrometheusGpuWindowReader } from '../gpu-window/gpu-window.prometheus';
import type { GpuWindowAggregate, GpuWindowQuery } from '../gpu-window/gpu-window.port';

/** How long a detected tenant-label shape is trusted before it is probed again. */
const SHAPE_TTL_MS = 5 * 60_000;

/**
 * The real adapter: PromQL against every selected cluster in parallel, a constant number of requests per cluster
 * (two for current GPU values, whatever the GPU count), results joined in memory by (UUID, GPU_I_ID).
 */
@Injectable()
export class PrometheusSource implements MetricSource {
  readonly kind = 'prometheus' as const;
  private readonly logger = new Logger(PrometheusSource.name);
  private readonly shapes = new Map<string, { mode: 'exported' | 'plain'; at: number }>();
  private readonly exporterPod: RegExp;
  private readonly series: PrometheusGpuSeries;
  private readonly window: PrometheusGpuWindowReader;
  private readonly powerReader: PrometheusPowerReader;
  private readonly npus: PrometheusNpuReader;

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly config: AppConfig,
  ) {
    this.exporterPod = new RegExp(config.prometheus.exporterPodPattern);
    this.series = new PrometheusGpuSeries(registry, config, this.exporterPod, (c, cl, f) => this.tenantShape(c, cl, f));
    this.window = new PrometheusGpuWindowReader(registry, config);
    this.powerReader = new PrometheusPowerReader(registry, config);
    this.npus = new PrometheusNpuReader(registry, config);
  }

  npuSamples(filter: DeviceFilter): Promise<PartialResult<NpuSample>> {
    return this.npus.read(filter);
  }

  gpuProcesses(filter: DeviceFilter): Promise<PartialResult<GpuProcessSample>> {
    return readGpuProcesses(this.registry, filter);
  }

  gpuWindowAggregates(filter: DeviceFilter, query: GpuWindowQuery): Promise<PartialResult<GpuWindowAggregate>> {
    return this.window.read(filter, query);
  }

  clusterNames(): readonly string[] {
    return this.registry.names();
  }

  /** The states the background prober keeps fresh, at once; only clusters never probed yet are probed now. */
  async health(): Promise<readonly ClusterHealth[]> {
    return (await this.registry.health(this.config.env.HEALTH_PROBE_TIMEOUT_MS)).map((c) => ({
      cluster: c.name,
      status: c.status,
      circuit: c.circuit,
      latencyMs: c.latencyMs,
      lastSuccessAt: c.lastSuccessAt,
      error: c.lastError,
    }));
  }

  async gpuSamples(filter: DeviceFilter): Promise<PartialResult<GpuSample>> {
    if (matchesNothing(filter)) return { items: [], failures: [] };
    const { results, failures } = await this.registry.fanOut(filter.clusters, async (client, cluster) => {
      const scope = this.registry.scopeMatchers(cluster.name);
      if ((cluster.gpuExporter ?? 'dcgm') !== 'dcgm') return readAltGpuSamples(client, cluster, filter, scope);
      const mode = await this.tenantShape(client, cluster, filter);
      const names = labelNamesFor(mode);
      const matchers = deviceMatchers(filter, names, scope);
      const [identity, values] = await Promise.all([
        client.instant(gpuIdentityQuery(matchers)),
        client.instant(gpuValuesQuery(matchers)),
      ]);
      if (
        this.modeOf(cluster) === 'auto' &&
        detectFromLabels(identity.map((s) => s.labels)) &&
        mode !== 'exported'
      ) {
        // The shape changed (first allocation seen): remember it and read the tenants again with the right names.
        this.shapes.set(cluster.name, { mode: 'exported', at: Date.now() });
        return joinGpuSamples(cluster.name, identity, values, labelNamesFor('exported'), this.exporterPod);
      }
      if (this.modeOf(cluster) === 'auto' && !this.shapes.has(cluster.name))
        this.shapes.set(cluster.name, { mode, at: Date.now() });
      return joinGpuSamples(cluster.name, identity, values, names, this.exporterPod);
    });
    const items = results.flatMap((r) => r.value).filter((g) => matchesDevice(filter, g));
    return { items, failures };
  }

  gpuMetricSeries(filter: DeviceFilter, range: SeriesRange): AsyncIterable<PartialResult<GpuSeriesPoint>> {
    return this.series.gpuMetricSeries(filter, range);
  }

  gpuPowerSeries(filter: DeviceFilter, range: SeriesRange): AsyncIterable<PartialResult<GpuPowerPoint>> {
    return this.series.gpuPowerSeries(filter, range);
  }

  // --- power and infrastructure (power.reader / power.simulated)
  nodePower(filter: InfraFilter): Promise<PartialResult<NodePowerSample>> {
    return this.powerReader.nodePower(filter);
  }
  podPower(filter: InfraFilter): Promise<PartialResult<PodPowerSample>> {
    return this.powerReader.podPower(filter);
  }
  containerPower(filter: InfraFilter): Promise<PartialResult<ContainerPowerSample>> {
    return this.powerReader.containerPower(filter);
  }
  kubeNodes(filter: InfraFilter): Promise<PartialResult<KubeNodeSample>> {
    return this.powerReader.kubeNodes(filter);
  }
  ipmiSensors(filter: InfraFilter): Promise<PartialResult<IpmiSensorSample>> {
    return this.powerReader.ipmiSensors(filter);
  }
  facilityPower(filter: InfraFilter): Promise<PartialResult<FacilityPowerSample>> {
    return this.powerReader.facilityPower(filter);
  }
  nodePowerRange(filter: InfraFilter, window: PowerRangeWindow): Promise<PartialResult<NodePowerSeries>> {
    return this.powerReader.nodePowerRange(filter, window);
  }
  podPowerRange(filter: InfraFilter, window: PowerRangeWindow): Promise<PartialResult<PodPowerSeries>> {
    return this.powerReader.podPowerRange(filter, window);
  }
  nodeEnergy(filter: InfraFilter, from: Date, to: Date): Promise<PartialResult<NodeEnergySample>> {
    return this.powerReader.nodeEnergy(filter, from, to);
  }
  podEnergy(filter: InfraFilter, from: Date, to: Date): Promise<PartialResult<PodEnergySample>> {
    return this.powerReader.podEnergy(filter, from, to);
  }
  facilitySource(): FacilitySourceInfo | undefined {
    return this.powerReader.facilitySource();
  }

  private modeOf(cluster: ClusterConfig): TenantLabelMode {
    return cluster.tenantLabels ?? this.config.prometheus.tenantLabels;
  }

  /**
   * Configured per cluster, or detected: a cluster is "exported" once any dcgm series carries exported_namespace.
   * Detection costs one extra request only when a tenant filter needs the label name before the data is read.
   */
  private async tenantShape(
    client: PrometheusClient,
    cluster: ClusterConfig,
    filter: DeviceFilter,
  ): Promise<'exported' | 'plain'> {
    const configured = this.modeOf(cluster);
    if (configured !== 'auto') return configured;
    const known = this.shapes.get(cluster.name);
    if (known && Date.now() - known.at < SHAPE_TTL_MS) return known.mode;
    if (!filter.namespaces && !filter.pods) return known?.mode ?? 'plain';
    const probe = await client.instant(exportedShapeProbe(this.registry.scopeMatchers(cluster.name)));
    const mode = probe.length > 0 && probe[0].value > 0 ? 'exported' : 'plain';
    this.shapes.set(cluster.name, { mode, at: Date.now() });
    this.logger.debug(`cluster ${cluster.name}: dcgm tenant labels detected as ${mode}`);
    return mode;
  }
}
