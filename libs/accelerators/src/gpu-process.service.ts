import { Inject, Injectable } from '@nestjs/common';
import { CacheService } from '@kcloud/cache';
import { inScope, type PartialResult, type TenantScope, UNRESTRICTED } from '@kcloud/common';
import {
  type DeviceFilter,
  GPU_PROCESS_SOURCE,
  GPU_WINDOW_SOURCE,
  type GpuProcessSample,
  type GpuProcessSource,
  type GpuWindowSource,
  selectClusters,
} from '@kcloud/metrics-source';
import { AcceleratorsService } from './accelerators.service';
import { compareGpuProcesses, type GpuRef, gpuRefs, refOf, toGpuProcess } from './gpu-process-view';
import type { GpuProcess } from './models/gpu-process.model';

export interface GpuProcessQuery {
  readonly cluster?: string;
  readonly node?: string;
  readonly namespace?: string;
  readonly pod?: string;
  readonly gpuUuid?: string;
  readonly user?: string;
  /** The clusters the filter's cluster labels selected (ClusterLabelResolution); absent without labels. */
  readonly labelledClusters?: readonly string[];
}

/** How far back the sharing check looks for the pods on a GPU (dcgm-exporter refreshes every 10–30 s). */
const SHARING_WINDOW_SECONDS = 60;

/**
 * Processes on GPUs, joined with the GPUs they run on for node, index and tenant; the namespace scope is pushed to the
 * GPU read and applied again to the joined tenant.
 *
 * What the data allows: a process sample names its GPU (UUID) and pid, never its pod or cgroup. So for a
 * namespace-scoped key a process is attributed to its tenant only when that tenant is the only pod on the physical
 * GPU: not on a MIG board whose instances belong to several pods, and not on a time-sliced GPU (one dcgm row per pod
 * sharing it). The GPU list cannot tell (it keeps one row per device, and a scoped read sees only the key's own rows),
 * so the pods of the key's GPUs that run processes are read from the window aggregates (every pod seen on a device),
 * selected by UUID; a GPU missing there counts as shared (fails closed). Unrestricted and cluster-scoped keys, who may
 * see every tenant anyway, keep the GPU list's attribution (no extra reads): on a time-sliced GPU that is one of the
 * pods, a known limit until the port can count pods per GPU in one query.
 */
@Injectable()
export class GpuProcessService {
  constructor(
    @Inject(GPU_WINDOW_SOURCE) private readonly windowSource: GpuWindowSource,
    @Inject(GPU_PROCESS_SOURCE) private readonly processSource: GpuProcessSource,
    private readonly cache: CacheService,
    private readonly accelerators: AcceleratorsService,
  ) {}

  async gpuProcesses(
    query: GpuProcessQuery = {},
    scope: TenantScope = UNRESTRICTED,
  ): Promise<PartialResult<GpuProcess>> {
    const clusters = selectClusters(query.cluster, query.labelledClusters, scope.clusters);
    if (clusters?.length === 0) return { items: [], failures: [] };
    const filter: DeviceFilter = {
      ...(clusters ? { clusters } : {}),
      ...(query.gpuUuid !== undefined ? { uuids: [query.gpuUuid] } : {}),
    };
    const [processes, gpus] = await Promise.all([
      this.cache.getOrLoad(`gpu-processes:${JSON.stringify(filter)}`, 'realtime', () =>
        this.processSource.gpuProcesses(filter),
      ),
      this.accelerators.gpus(
        { cluster: query.cluster, labelledClusters: query.labelledClusters, uuid: query.gpuUuid },
        scope,
      ),
    ]);
    const refs = gpuRefs(gpus.items);
    const scoped = !!scope.namespaces?.length;
    const busy = scoped
      ? [...new Set(processes.items.filter((p) => refOf(refs, p)).map((p) => p.gpuUuid))].sort()
      : [];
    const pods = await this.podsOn(busy, clusters);
    const soleTenant = (p: GpuProcessSample): GpuRef | undefined => {
      const ref = refOf(refs, p);
      if (!ref || !scoped || pods.items.get(`${p.cluster}\u0000${p.gpuUuid}`)?.size === 1) return ref;
      return { node: ref.node, index: ref.index };
    };
    const matches = (value: string | undefined, wanted: string | undefined): boolean =>
      wanted === undefined || value === wanted;
    const items = processes.items
      .map((p) => toGpuProcess(p, soleTenant(p)))
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
      failures: [...processes.failures, ...gpus.failures, ...pods.failures],
    };
  }

  /**
   * The distinct pods (namespace/pod/container, '' for a free MIG slice) on each of these GPUs, all instances
   * together. Read by UUID, so no other GPU's pods are read; used only to count them, never returned.
   */
  private async podsOn(
    uuids: readonly string[],
    clusters: readonly string[] | undefined,
  ): Promise<{ items: Map<string, Set<string>>; failures: PartialResult<GpuProcess>['failures'] }> {
    const items = new Map<string, Set<string>>();
    if (!uuids.length) return { items, failures: [] };
    const filter: DeviceFilter = { ...(clusters ? { clusters } : {}), uuids };
    const window = await this.cache.getOrLoad(
      `gpu-processes:pods:${JSON.stringify(filter)}`,
      'realtime',
      () => this.windowSource.gpuWindowAggregates(filter, { windowSeconds: SHARING_WINDOW_SECONDS }),
    );
    for (const a of window.items) {
      const key = `${a.cluster}\u0000${a.uuid}`;
      const set = items.get(key) ?? new Set<string>();
      if (!a.tenants.length) set.add('');
      for (const t of a.tenants) set.add(`${t.namespace ?? ''}/${t.pod ?? ''}/${t.container ?? ''}`);
      items.set(key, set);
    }
    return { items, failures: window.failures };
  }
}
