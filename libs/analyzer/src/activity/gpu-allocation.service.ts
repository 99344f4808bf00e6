import { Inject, Injectable, Optional } from '@nestjs/common';
import { inScope, type PartialResult, type TenantScope } from '@kcloud/common';
import { GPU_REQUEST_SOURCE, type GpuRequestSource, selectClusters } from '@kcloud/metrics-source';
import { ScoreStore } from '../cycle/score-store';
import { type UnmatchedGpuRequestRecord, unmatchedGpuRequests } from './unmatched-requests';

/**
 * Pods holding GPUs that no device names: kube-state-metrics' requests (read when asked, one request per cluster in
 * scope) joined with the tenants of the analyzer's installed results, which every replica holds.
 */
@Injectable()
export class GpuAllocationService {
  constructor(
    private readonly store: ScoreStore,
    @Optional() @Inject(GPU_REQUEST_SOURCE) private readonly requests?: GpuRequestSource,
  ) {}

  async unmatched(
    scope: TenantScope,
    cluster: string | undefined,
    labelledClusters?: readonly string[],
  ): Promise<PartialResult<UnmatchedGpuRequestRecord>> {
    if (!this.requests) return { items: [], failures: [] };
    const clusters = selectClusters(cluster, labelledClusters, scope.clusters);
    if (clusters?.length === 0) return { items: [], failures: [] };
    // A namespace-scoped key's namespaces are pushed down: other tenants' pods never leave Prometheus.
    const { items, failures } = await this.requests.podGpuRequests(clusters, scope.namespaces);
    const records = this.store.all().filter((r) => !r.stale);
    return {
      items: unmatchedGpuRequests(items, records).filter((u) => inScope(scope, u.cluster, u.namespace)),
      failures,
    };
  }
}
