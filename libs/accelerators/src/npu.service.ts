import { Inject, Injectable } from '@nestjs/common';
import { CacheService } from '@kcloud/cache';
import { inScope, notFound, type PartialResult, type TenantScope, UNRESTRICTED } from '@kcloud/common';
import { matchesNothing, NPU_SOURCE, type NpuSample, type NpuSource } from '@kcloud/metrics-source';
import { type GpuQuery, toDeviceFilter } from './device-query';
import { SnapshotMemo } from './gpu-read-model';
import { compareNpus } from './npu-view';

export interface NpuQuery extends GpuQuery {
  readonly vendor?: string;
}

/** NPU reads: filter ∩ scope to the source, cached per distinct filter, tenant scope enforced on every card. */
@Injectable()
export class NpuService {
  private readonly sorted = new SnapshotMemo<readonly NpuSample[]>();

  constructor(
    @Inject(NPU_SOURCE) private readonly source: NpuSource,
    private readonly cache: CacheService,
  ) {}

  async npus(query: NpuQuery = {}, scope: TenantScope = UNRESTRICTED): Promise<PartialResult<NpuSample>> {
    const filter = toDeviceFilter(query, scope);
    if (matchesNothing(filter)) return { items: [], failures: [] };
    const result = await this.cache.getOrLoad(`npus:${JSON.stringify(filter)}`, 'realtime', () =>
      this.source.npuSamples(filter),
    );
    // Filtered and sorted once per snapshot read, scope and vendor, not per request.
    const items = this.sorted.get(
      [result],
      JSON.stringify([scope.clusters, scope.namespaces, query.vendor]),
      () =>
        result.items
          .filter(
            (n) =>
              inScope(scope, n.cluster, n.namespace) &&
              (query.vendor === undefined || n.vendor === query.vendor),
          )
          .sort(compareNpus),
    );
    return { items, failures: result.failures };
  }

  async npu(
    uuid: string,
    scope: TenantScope = UNRESTRICTED,
  ): Promise<{ npu: NpuSample | null; failures: PartialResult<NpuSample>['failures'] }> {
    const { items, failures } = await this.npus({ uuid }, scope);
    if (!items.length && !failures.length) throw notFound('NPU', uuid);
    return { npu: items[0] ?? null, failures };
  }
}
