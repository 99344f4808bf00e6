import { Inject, Injectable } from '@nestjs/common';
import { CacheService } from '@kcloud/cache';
import { inScope, narrow, type PartialResult, type TenantScope, UNRESTRICTED } from '@kcloud/common';
import { type DeviceFilter, type GpuSample, METRIC_SOURCE, type MetricSource } from '@kcloud/metrics-source';
import { AcceleratorsService } from './accelerators.service';
import { compareGpuProcesses, gpuRefs, refOf, toGpuProcess } from './gpu-process-view';
import type { GpuProcess } from './models/gpu-process.model';

export interface GpuProcessQuery {
  readonly cluster?: string;
  readonly node?: string;
  readonly namespace?: string;
  readonly pod?: string;
  readonly gpuUuid?: string;
  readonly user?: string;
}

/**
 * Processes on GPUs, joined with the GPUs they run on for node, index and tenant; the namespace scope is pushed to the
 * GPU read and applied again to the joined tenant.
 *
 * What the data allows: a process sample names its GPU (UUID) and pid, never its pod or cgroup. So a process can be
 * attributed to a tenant only when every row of its physical GPU names that same tenant: not on a MIG board whose
 * instances belong to several pods, and not on a time-sliced GPU (one dcgm row per pod sharing it). A
 * namespace-scoped read sees only the key's own rows, in which a shared GPU looks exclusive; so for such keys the
 * GPUs the key holds are read again by UUID (every row on those GPUs, no other GPU) to count their tenants, and a
 * process on a shared GPU is shown to nobody but unrestricted / cluster-scoped keys (without a tenant).
 */
@Injectable()
export class GpuProcessService {
  constructor(
    @Inject(METRIC_SOURCE) private readonly source: MetricSource,
    private readonly cache: CacheService,
    private readonly accelerators: AcceleratorsService,
  ) {}

  async gpuProcesses(
    query: GpuProcessQuery = {},
    scope: TenantScope = UNRESTRICTED,
  ): Promise<PartialResult<GpuProcess>> {
    const clusters = narrow(query.cluster === undefined ? undefined : [query.cluster], scope.clusters);
    if (clusters?.length === 0) return { items: [], failures: [] };
    const filter: DeviceFilter = {
      ...(clusters ? { clusters } : {}),
      ...(query.gpuUuid !== undefined ? { uuids: [query.gpuUuid] } : {}),
    };
    const [processes, gpus] = await Promise.all([
      this.cache.getOrLoad(`gpu-processes:${JSON.stringify(filter)}`, 'realtime', () =>
        this.source.gpuProcesses(filter),
      ),
      this.accelerators.gpus({ cluster: query.cluster, uuid: query.gpuUuid }, scope),
    ]);
    const judged = scope.namespaces?.length ? await this.everyRowOf(gpus.items, clusters) : { items: gpus.items, failures: [] };
    const refs = gpuRefs(judged.items);
    const matches = (value: string | undefined, wanted: string | undefined): boolean =>
      wanted === undefined || value === wanted;
    const items = processes.items
      .map((p) => toGpuProcess(p, refOf(refs, p)))
      .filter(
        (p) =>
          inScope(scope, p.cluster, p.namespace) &&
          matches(p.node, query.node) &&
          matches(p.namespace, query.namespace) &&
          matches(p.pod, query.pod) &&
          matches(p.user, query.user),
      );
    return {
      items: items.sort(compareGpuProcesses),
      failures: [...processes.failures, ...gpus.failures, ...judged.failures],
    };
  }

  /**
   * Every dcgm row (all tenants) of the GPUs a scoped read returned, and of no other GPU: used only to tell whether
   * they are shared, never returned. Rows of GPUs outside the scoped read cannot come back (selected by UUID).
   */
  private async everyRowOf(
    scoped: readonly GpuSample[],
    clusters: readonly string[] | undefined,
  ): Promise<PartialResult<GpuSample>> {
    const uuids = [...new Set(scoped.map((g) => g.uuid))].sort();
    if (!uuids.length) return { items: [], failures: [] };
    const filter: DeviceFilter = { ...(clusters ? { clusters } : {}), uuids };
    const all = await this.cache.getOrLoad(`gpu-processes:sharing:${JSON.stringify(filter)}`, 'realtime', () =>
      this.source.gpuSamples(filter),
    );
    const held = new Set(scoped.map((g) => `${g.cluster}\u0000${g.uuid}`));
    return { items: all.items.filter((g) => held.has(`${g.cluster}\u0000${g.uuid}`)), failures: all.failures };
  }
}
