import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { CacheService } from '@kcloud/cache';
import { type PartialErrorsContext, reportClusterFailures, type TenantScope } from '@kcloud/common';
import { HOST_SOURCE, type HostSample, type HostSource } from '@kcloud/metrics-source';

export interface NodeRef {
  readonly cluster: string;
  readonly node: string;
}

const keyOf = (k: NodeRef): string => `${k.cluster}\u0000${k.node}`;

/**
 * Per-request loader of node_exporter readings: every Node whose host fields a query selects, in one tick, becomes
 * one source call (two PromQL requests per cluster), cached like other realtime reads. Host readings are node-wide
 * (they add up every tenant on the node), so a namespace-scoped key reads none: its nodes answer null, as their
 * power figures do.
 */
@Injectable()
export class NodeHostLoaders {
  private readonly byRequest = new WeakMap<object, DataLoader<NodeRef, HostSample | undefined, string>>();

  constructor(
    @Inject(HOST_SOURCE) private readonly source: HostSource,
    private readonly cache: CacheService,
  ) {}

  for(
    context: PartialErrorsContext,
    scope: TenantScope,
  ): DataLoader<NodeRef, HostSample | undefined, string> {
    let loader = this.byRequest.get(context);
    if (!loader) {
      loader = new DataLoader((refs) => this.load(context, scope, refs), { cacheKeyFn: keyOf });
      this.byRequest.set(context, loader);
    }
    return loader;
  }

  private async load(
    context: PartialErrorsContext,
    scope: TenantScope,
    refs: readonly NodeRef[],
  ): Promise<(HostSample | undefined)[]> {
    if (scope.namespaces?.length) return refs.map(() => undefined);
    const clusters = [...new Set(refs.map((r) => r.cluster))].sort();
    // Per cluster, whole: the next request for other nodes of the same cluster hits the cache.
    const { items, failures } = await this.cache.getOrLoad(
      `hosts:${JSON.stringify(clusters)}`,
      'realtime',
      () => this.source.nodeHosts({ clusters }),
    );
    reportClusterFailures(context, failures);
    const byKey = new Map(items.map((h) => [keyOf(h), h]));
    return refs.map((r) => byKey.get(keyOf(r)));
  }
}
