import { Inject, Injectable } from '@nestjs/common';
import type DataLoader from 'dataloader';
import { CacheService } from '@kcloud/cache';
import type { PartialErrorsContext, TenantScope } from '@kcloud/common';
import {
  CONTAINER_USAGE_SOURCE,
  type ContainerUsageSample,
  type ContainerUsageSource,
} from '@kcloud/metrics-source';
import { PerRequestLoader, realtimeRead } from '../request/per-request-loader';

/** A cluster's containers by `namespace\0pod`. */
export type PodContainers = ReadonlyMap<string, readonly ContainerUsageSample[]>;

export const podKeyOf = (namespace: string, pod: string): string => `${namespace}\u0000${pod}`;

/**
 * Per-request loader of cAdvisor readings: every Pod or Container whose usage fields a query selects, in one tick,
 * becomes one source call (one PromQL request per cluster), cached like other realtime reads. A namespace-scoped key
 * reads only its namespaces' containers (the same scope its pods are listed under).
 */
@Injectable()
export class ContainerUsageLoaders {
  private readonly loaders = new PerRequestLoader<string, PodContainers>((clusters, context, scope) =>
    this.load(context, scope, clusters),
  );

  constructor(
    @Inject(CONTAINER_USAGE_SOURCE) private readonly source: ContainerUsageSource,
    private readonly cache: CacheService,
  ) {}

  for(context: PartialErrorsContext, scope: TenantScope): DataLoader<string, PodContainers> {
    return this.loaders.for(context, scope);
  }

  private async load(
    context: PartialErrorsContext,
    scope: TenantScope,
    requested: readonly string[],
  ): Promise<PodContainers[]> {
    const clusters = [...new Set(requested)].sort();
    const namespaces = scope.namespaces?.length ? [...scope.namespaces].sort() : undefined;
    const items = await realtimeRead(
      this.cache,
      context,
      `container-usage:${JSON.stringify([clusters, namespaces ?? null])}`,
      () => this.source.containerUsage({ clusters, ...(namespaces ? { namespaces } : {}) }),
    );
    const byCluster = new Map<string, Map<string, ContainerUsageSample[]>>(
      clusters.map((c) => [c, new Map()]),
    );
    for (const c of items) {
      const pods = byCluster.get(c.cluster);
      if (!pods) continue;
      const key = podKeyOf(c.namespace, c.pod);
      pods.set(key, [...(pods.get(key) ?? []), c]);
    }
    return requested.map((c) => byCluster.get(c) ?? new Map());
  }
}

/** A pod's usage: the sum over its containers of each reading they report; undefined when none does. */
export function podUsageOf(
  containers: readonly ContainerUsageSample[] | undefined,
  reading: 'cpuCores' | 'memoryWorkingSetBytes',
): number | undefined {
  const values = (containers ?? []).map((c) => c[reading]).filter((v): v is number => v !== undefined);
  return values.length ? values.reduce((a, b) => a + b, 0) : undefined;
}
