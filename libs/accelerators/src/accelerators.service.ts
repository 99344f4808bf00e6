import { Inject, Injectable } from '@nestjs/common';
import { CacheService } from '@kcloud/cache';
import { type PartialResult, type TenantScope, UNRESTRICTED } from '@kcloud/common';
import {
  GPU_SNAPSHOT_SOURCE,
  type GpuSample,
  type GpuSnapshotSource,
  matchesNothing,
} from '@kcloud/metrics-source';
import { type AcceleratorItem, compareAccelerators } from './accelerator-view';
import { type GpuQuery, toDeviceFilter } from './device-query';
import { pickGpu, uuidOf } from './gpu-pick';
import { SnapshotMemo } from './gpu-read-model';
import { compareGpus } from './gpu-view';
import { AcceleratorKind } from './models/accelerator.model';
import { NpuService } from './npu.service';

export type { GpuQuery } from './device-query';

export interface AcceleratorQuery extends GpuQuery {
  readonly kind?: AcceleratorKind;
  readonly vendor?: string;
}

const NONE = { items: [], failures: [] } as const;

/** GPU reads: filter ∩ scope pushed to the source, cached per distinct filter, results in a stable order. */
@Injectable()
export class AcceleratorsService {
  /** Sorted once per snapshot read, not per request. */
  private readonly sorted = new SnapshotMemo<readonly GpuSample[]>();
  private readonly merged = new SnapshotMemo<readonly AcceleratorItem[]>();

  constructor(
    @Inject(GPU_SNAPSHOT_SOURCE) private readonly source: GpuSnapshotSource,
    private readonly cache: CacheService,
    private readonly npus: NpuService,
  ) {}

  /** `fresh` skips the cache: a live stream reads once per tick for all its subscribers, whatever the TTL. */
  async gpus(
    query: GpuQuery = {},
    scope: TenantScope = UNRESTRICTED,
    fresh = false,
  ): Promise<PartialResult<GpuSample>> {
    const filter = toDeviceFilter(query, scope);
    if (matchesNothing(filter)) return NONE;
    const load = () => this.source.gpuSamples(filter);
    const result = fresh
      ? await load()
      : await this.cache.getOrLoad(`gpus:${JSON.stringify(filter)}`, 'realtime', load);
    return {
      items: this.sorted.get([result], '', () => [...result.items].sort(compareGpus)),
      failures: result.failures,
    };
  }

  /** One GPU by UUID, or one MIG instance by `UUID/instanceId` (see `pickGpu`). */
  async gpu(
    id: string,
    scope: TenantScope = UNRESTRICTED,
  ): Promise<{ gpu: GpuSample | null; failures: PartialResult<GpuSample>['failures'] }> {
    const { items, failures } = await this.gpus({ uuid: uuidOf(id) }, scope);
    return { gpu: pickGpu(id, items, (g) => g, failures.length > 0), failures };
  }

  /**
   * GPUs and NPUs in one list (both reads in parallel, each cached on its own), ordered by cluster, node, kind and
   * index so a node's devices are listed together.
   */
  async accelerators(
    query: AcceleratorQuery = {},
    scope: TenantScope = UNRESTRICTED,
  ): Promise<PartialResult<AcceleratorItem>> {
    const { kind, vendor, ...devices } = query;
    const [gpus, npus] = await Promise.all([
      kind === AcceleratorKind.NPU ? NONE : this.gpus(devices, scope),
      kind === AcceleratorKind.GPU ? NONE : this.npus.npus({ ...devices, vendor }, scope),
    ]);
    // Merged and sorted once per pair of snapshot reads (both lists keep their identity until re-read) and vendor.
    const items = this.merged.get([gpus.items, npus.items], vendor ?? '', () =>
      [
        ...gpus.items
          .filter((g) => vendor === undefined || (g.vendor ?? 'nvidia') === vendor)
          .map((sample) => ({ kind: AcceleratorKind.GPU as const, sample })),
        ...npus.items.map((sample) => ({ kind: AcceleratorKind.NPU as const, sample })),
      ].sort(compareAccelerators),
    );
    return { items, failures: [...gpus.failures, ...npus.failures] };
  }
}
