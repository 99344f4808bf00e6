import { Inject, Injectable } from '@nestjs/common';
import { CacheService } from '@kcloud/cache';
import {
  AppConfig,
  type ClusterFailure,
  notFound,
  type PartialResult,
  type TenantScope,
  UNRESTRICTED,
} from '@kcloud/common';
import {
  DataQualityStatus,
  DEVICE_QUALITY_SOURCE,
  type DeviceDataQuality,
  type DeviceFilter,
  type DeviceQualitySource,
  gpuKey,
  type GpuSample,
  matchesNothing,
  type NpuSample,
  qualifyDevices,
} from '@kcloud/metrics-source';
import { type AcceleratorItem, compareAccelerators } from './accelerator-view';
import { type AcceleratorQuery, AcceleratorsService } from './accelerators.service';
import { InvalidReadingsCounter, type QualityExporter } from './data-quality.metrics';
import { type GpuQuery, toDeviceFilter } from './device-query';
import { pickGpu, uuidOf } from './gpu-pick';
import { SnapshotMemo } from './gpu-read-model';
import { compareGpus } from './gpu-view';
import { type GpuHealthStatus, keepHealth } from './health/gpu-health';
import { AcceleratorKind } from './models/accelerator.model';
import { compareNpus } from './npu-view';
import { type NpuQuery, NpuService } from './npu.service';

export interface Qualified<S> {
  readonly sample: S;
  readonly quality: DeviceDataQuality;
}

export interface QualityFilter {
  /** Only devices in one of these states; absent = all. */
  readonly dataQuality?: readonly DataQualityStatus[];
}

export interface HealthFilter {
  /** Only GPUs in one of these health states; absent = all. */
  readonly health?: readonly GpuHealthStatus[];
}

/** Devices per quality status in one cluster. */
export interface ClusterQualityCount {
  readonly cluster: string;
  readonly status: DataQualityStatus;
  readonly count: number;
}

/**
 * GPUs and NPUs with the quality of their data: the samples and the quality evidence are read in parallel (each
 * cached per filter), joined in memory, and the devices of down targets are added with their last identity. The
 * counter of refused readings is fed here, where every read passes.
 */
@Injectable()
export class DataQualityService {
  private readonly frozenSamples: number;
  /** GPUs joined with their quality, filtered and sorted once per (samples, evidence) snapshot pair and filter. */
  private readonly qualifiedGpus = new SnapshotMemo<readonly Qualified<GpuSample>[]>();

  constructor(
    @Inject(DEVICE_QUALITY_SOURCE) private readonly source: DeviceQualitySource,
    private readonly gpuService: AcceleratorsService,
    private readonly npuService: NpuService,
    private readonly cache: CacheService,
    private readonly config: AppConfig,
    private readonly invalid: InvalidReadingsCounter,
  ) {
    this.frozenSamples = config.env.DATA_FROZEN_SAMPLES;
  }

  /** `fresh` skips the caches (live streams: one read per tick already, which must not repeat a value for a TTL). */
  async gpus(
    query: GpuQuery & QualityFilter & HealthFilter = {},
    scope: TenantScope = UNRESTRICTED,
    fresh = false,
  ): Promise<PartialResult<Qualified<GpuSample>>> {
    const filter = toDeviceFilter(query, scope);
    if (matchesNothing(filter)) return { items: [], failures: [] };
    const loadEvidence = () => this.source.gpuEvidence(filter);
    const [samples, evidence] = await Promise.all([
      this.gpuService.gpus(query, scope, fresh),
      fresh
        ? loadEvidence()
        : this.cache.getOrLoad(`gpu-quality:${JSON.stringify(filter)}`, 'realtime', loadEvidence),
    ]);
    // The counter dedupes by observation time, so counting a snapshot once (on its first read) counts the same.
    const items = this.qualifiedGpus.get(
      [samples.items, evidence],
      JSON.stringify([query.dataQuality, query.health]),
      () => {
        for (const s of samples.items)
          this.invalid.count(
            { cluster: s.cluster, key: gpuKey(s), observedAt: s.observedAt },
            this.gpuExporter(s.cluster),
            s.invalidReadings,
          );
        return qualifyDevices(samples.items, evidence.items, gpuKey, this.frozenSamples)
          .filter((q) => keep(q.quality.status, query.dataQuality) && keepHealth(q.sample, query.health))
          .sort((a, b) => compareGpus(a.sample, b.sample));
      },
    );
    return { items, failures: mergeFailures(samples.failures, evidence.failures) };
  }

  /** One GPU or MIG instance with its quality, also when its exporter target is down (see `pickGpu`). */
  async gpu(
    id: string,
    scope: TenantScope = UNRESTRICTED,
  ): Promise<{ gpu: Qualified<GpuSample> | null; failures: readonly ClusterFailure[] }> {
    const { items, failures } = await this.gpus({ uuid: uuidOf(id) }, scope);
    return { gpu: pickGpu(id, items, (i) => i.sample, failures.length > 0), failures };
  }

  /** One NPU card with its quality, also when its exporter target is down. */
  async npu(
    uuid: string,
    scope: TenantScope = UNRESTRICTED,
  ): Promise<{ npu: Qualified<NpuSample> | null; failures: readonly ClusterFailure[] }> {
    const { items, failures } = await this.npus({ uuid }, scope);
    if (!items.length && !failures.length) throw notFound('NPU', uuid);
    return { npu: items[0] ?? null, failures };
  }

  async npus(
    query: NpuQuery & QualityFilter = {},
    scope: TenantScope = UNRESTRICTED,
  ): Promise<PartialResult<Qualified<NpuSample>>> {
    const filter: DeviceFilter = toDeviceFilter(query, scope);
    if (matchesNothing(filter)) return { items: [], failures: [] };
    const [samples, evidence] = await Promise.all([
      this.npuService.npus(query, scope),
      this.cache.getOrLoad(`npu-quality:${JSON.stringify(filter)}`, 'realtime', () =>
        this.source.npuEvidence(filter),
      ),
    ]);
    for (const s of samples.items)
      this.invalid.count(
        { cluster: s.cluster, key: s.uuid, observedAt: s.observedAt },
        npuExporter(s),
        s.invalidReadings,
      );
    const unreachable = evidence.items.map((e) => ({
      ...e,
      unreachable: e.unreachable.filter((n) => query.vendor === undefined || n.vendor === query.vendor),
    }));
    const items = qualifyDevices(samples.items, unreachable, (n) => n.uuid, this.frozenSamples)
      .filter((q) => keep(q.quality.status, query.dataQuality))
      .sort((a, b) => compareNpus(a.sample, b.sample));
    return { items, failures: mergeFailures(samples.failures, evidence.failures) };
  }

  /** GPUs and NPUs in one list with their quality, as `accelerators` lists them (GPUs before NPUs per node). */
  async accelerators(
    query: AcceleratorQuery & QualityFilter = {},
    scope: TenantScope = UNRESTRICTED,
  ): Promise<PartialResult<AcceleratorItem & { readonly quality: DeviceDataQuality }>> {
    const { kind, vendor, ...devices } = query;
    const none = { items: [], failures: [] };
    const [gpus, npus] = await Promise.all([
      kind === AcceleratorKind.NPU ? none : this.gpus(devices, scope),
      kind === AcceleratorKind.GPU ? none : this.npus({ ...devices, vendor }, scope),
    ]);
    const items = [
      ...gpus.items
        .filter((g) => vendor === undefined || (g.sample.vendor ?? 'nvidia') === vendor)
        .map((g) => ({ kind: AcceleratorKind.GPU as const, ...g })),
      ...npus.items.map((n) => ({ kind: AcceleratorKind.NPU as const, ...n })),
    ];
    return { items: items.sort(compareAccelerators), failures: [...gpus.failures, ...npus.failures] };
  }

  /** Device counts by cluster and status (GPUs, MIG instances and NPUs together), within the caller's scope. */
  async counts(
    clusters: readonly string[] | undefined,
    scope: TenantScope = UNRESTRICTED,
  ): Promise<PartialResult<ClusterQualityCount>> {
    const perCluster = await Promise.all(
      (clusters ?? [undefined]).map(async (cluster) => {
        const [gpus, npus] = await Promise.all([
          this.gpus({ cluster }, scope),
          this.npus({ cluster }, scope),
        ]);
        return { devices: [...gpus.items, ...npus.items], failures: [...gpus.failures, ...npus.failures] };
      }),
    );
    const tally = new Map<string, ClusterQualityCount>();
    for (const { devices } of perCluster)
      for (const { sample, quality } of devices) {
        const key = `${sample.cluster}\u0000${quality.status}`;
        const seen = tally.get(key);
        tally.set(key, { cluster: sample.cluster, status: quality.status, count: (seen?.count ?? 0) + 1 });
      }
    return { items: [...tally.values()], failures: perCluster.flatMap((c) => c.failures) };
  }

  private gpuExporter(cluster: string): QualityExporter {
    return this.config.prometheus.clusters.find((c) => c.name === cluster)?.gpuExporter ?? 'dcgm';
  }
}

/** The exporter an NPU card's refused readings are counted under: all-smi, or its vendor's own exporter. */
function npuExporter(s: NpuSample): QualityExporter {
  return s.exporter ?? (s.vendor === 'rebellions' ? 'rebellions' : 'furiosa');
}

function keep(status: DataQualityStatus, wanted: readonly DataQualityStatus[] | undefined): boolean {
  return wanted === undefined || wanted.includes(status);
}

/** A cluster that failed both reads is reported once. */
function mergeFailures(a: readonly ClusterFailure[], b: readonly ClusterFailure[]): ClusterFailure[] {
  const seen = new Set(a.map((f) => f.cluster));
  return [...a, ...b.filter((f) => !seen.has(f.cluster))];
}
