import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { type PartialErrorsContext, reportClusterFailures, type TenantScope } from '@kcloud/common';
import type { GpuSample, PodPowerSample } from '@kcloud/metrics-source';
import { InfrastructureService, type NodeKey, type PodKey } from './infrastructure.service';
import { RequestMemo } from './request/request-memo';

export interface InfrastructureRequestLoaders {
  readonly gpusByNode: DataLoader<NodeKey, GpuSample[], string>;
  readonly podsByNode: DataLoader<NodeKey, PodPowerSample[], string>;
  readonly gpusByPod: DataLoader<PodKey, GpuSample[], string>;
}

const nodeKey = (k: NodeKey): string => `${k.cluster}\u0000${k.node}`;
const podKey = (k: PodKey): string => `${k.cluster}\u0000${k.namespace}\u0000${k.pod}`;

/**
 * Per-request DataLoaders for the nested fields Node.gpus, Node.pods and Pod.gpus: every key asked for in one tick
 * becomes one service call (a constant number of PromQL requests per cluster for 1 node or 500). Loaders live as
 * long as their request's GraphQL context object; partial failures are reported on that context.
 */
@Injectable()
export class InfrastructureLoaders {
  private readonly memo = new RequestMemo<InfrastructureRequestLoaders>();

  constructor(private readonly infra: InfrastructureService) {}

  for(context: PartialErrorsContext, scope: TenantScope): InfrastructureRequestLoaders {
    return this.memo.of(context, () => this.create(context, scope));
  }

  private create(context: PartialErrorsContext, scope: TenantScope): InfrastructureRequestLoaders {
    const group = async <K, T>(
      keys: readonly K[],
      load: (
        keys: readonly K[],
      ) => Promise<{ items: readonly T[]; failures: Parameters<typeof reportClusterFailures>[1] }>,
      keyOfKey: (k: K) => string,
      keyOfItem: (t: T) => string,
    ): Promise<T[][]> => {
      const { items, failures } = await load(keys);
      reportClusterFailures(context, failures);
      const grouped = new Map<string, T[]>();
      for (const item of items) grouped.set(keyOfItem(item), [...(grouped.get(keyOfItem(item)) ?? []), item]);
      return keys.map((k) => grouped.get(keyOfKey(k)) ?? []);
    };
    return {
      gpusByNode: new DataLoader(
        (keys) =>
          group(
            keys,
            (k) => this.infra.gpusOfNodes(k, scope),
            nodeKey,
            (g: GpuSample) => nodeKey(g),
          ),
        { cacheKeyFn: nodeKey },
      ),
      podsByNode: new DataLoader(
        (keys) =>
          group(
            keys,
            (k) => this.infra.podsOfNodes(k, scope),
            nodeKey,
            (p: PodPowerSample) => nodeKey({ cluster: p.cluster, node: p.node ?? '' }),
          ),
        { cacheKeyFn: nodeKey },
      ),
      gpusByPod: new DataLoader(
        (keys) =>
          group(
            keys,
            (k) => this.infra.gpusOfPods(k, scope),
            podKey,
            (g: GpuSample) => podKey({ cluster: g.cluster, namespace: g.namespace ?? '', pod: g.pod ?? '' }),
          ),
        { cacheKeyFn: podKey },
      ),
    };
  }
}
