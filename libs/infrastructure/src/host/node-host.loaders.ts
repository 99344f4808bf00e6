import { Inject, Injectable } from '@nestjs/common';
import type DataLoader from 'dataloader';
import { CacheService } from '@kcloud/cache';
import type { PartialErrorsContext, TenantScope } from '@kcloud/common';
import { HOST_SOURCE, type HostSample, type HostSource } from '@kcloud/metrics-source';
import { PerRequestLoader, realtimeRead } from '../request/per-request-loader';

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
  private readonly loaders = new PerRequestLoader<NodeRef, HostSample | undefined>(
    (refs, context, scope) => this.load(context, scope, refs),
    keyOf,
  );

  constructor(
    @Inject(HOST_SOURCE) private readonly source: HostSource,
    private readonly cache: CacheService,
  ) {}

  for(
    context: PartialErrorsContext,
    scope: TenantScope,
  ): DataLoader<NodeRef, HostSample | undefined, string> {
    return this.loaders.for(context, scope);
  }

  private async load(
    context: PartialErrorsContext,
    scope: TenantScope,
    refs: readonly NodeRef[],
  ): Promise<(HostSample | undefined)[]> {
    if (scope.namespaces?.length) return refs.map(() => undefined);
    const clusters = [...new Set(refs.map((r) => r.cluster))].sort();
    // Per cluster, whole: the next request for other nodes of the same cluster hits the cache.
    const items = await realtimeRead(this.cache, context, `hosts:${JSON.stringify(clusters)}`, () =>
      this.source.nodeHosts({ clusters }),
    );
    const byKey = new Map(items.map((h) => [keyOf(h), h]));
    return refs.map((r) => byKey.get(keyOf(r)));
  }
}
