import { Inject, Injectable } from '@nestjs/common';
import { CacheService } from '@kcloud/cache';
import { inScope, narrow, type PartialResult, type TenantScope, UNRESTRICTED } from '@kcloud/common';
import { type DeviceFilter, METRIC_SOURCE, type MetricSource } from '@kcloud/metrics-source';
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
 * GPU read and applied again to the joined tenant. A MIG-sliced GPU's tenant is only known when all its instances
 * agree, which a scoped read cannot see, so a namespace-scoped key never sees processes on MIG-sliced GPUs.
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
    // A scoped read returns only the key's own MIG instances, so "all instances agree" can no longer be judged:
    // processes on MIG-sliced GPUs stay unattributed (and so hidden) for namespace-scoped keys.
    const judged = scope.namespaces?.length ? gpus.items.filter((g) => !g.migInstanceId) : gpus.items;
    const refs = gpuRefs(judged);
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
    return { items: items.sort(compareGpuProcesses), failures: [...processes.failures, ...gpus.failures] };
  }
}
