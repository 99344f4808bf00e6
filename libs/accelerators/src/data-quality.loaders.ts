import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { type PartialErrorsContext, reportClusterFailures, type TenantScope } from '@kcloud/common';
import type { DeviceDataQuality } from '@kcloud/metrics-source';
import { DataQualityService } from './data-quality.service';

export interface DeviceRef {
  readonly cluster: string;
  /** `gpuKey` for GPUs and MIG instances, the UUID for NPUs. */
  readonly id: string;
}

const refKey = (r: DeviceRef): string => `${r.cluster}\u0000${r.id}`;

/**
 * Per-request loaders for `dataQuality` on devices that did not come from the `gpus`/`npus` listings (which attach it
 * themselves): e.g. `accelerators`, `Node.gpus`. All keys of one tick become one read per cluster.
 */
@Injectable()
export class DataQualityLoaders {
  private readonly byRequest = new WeakMap<
    object,
    {
      gpu: DataLoader<DeviceRef, DeviceDataQuality | null, string>;
      npu: DataLoader<DeviceRef, DeviceDataQuality | null, string>;
    }
  >();

  constructor(private readonly quality: DataQualityService) {}

  for(context: PartialErrorsContext, scope: TenantScope) {
    let loaders = this.byRequest.get(context);
    if (!loaders) {
      const batch =
        (
          read: (
            cluster: string,
          ) => Promise<{
            items: readonly { sample: { cluster: string }; quality: DeviceDataQuality }[];
            failures: Parameters<typeof reportClusterFailures>[1];
          }>,
          idOf: (s: never) => string,
        ) =>
        async (refs: readonly DeviceRef[]): Promise<(DeviceDataQuality | null)[]> => {
          const clusters = [...new Set(refs.map((r) => r.cluster))];
          const results = await Promise.all(clusters.map(read));
          const found = new Map<string, DeviceDataQuality>();
          for (const { items, failures } of results) {
            reportClusterFailures(context, failures);
            for (const { sample, quality } of items)
              found.set(refKey({ cluster: sample.cluster, id: idOf(sample as never) }), quality);
          }
          return refs.map((r) => found.get(refKey(r)) ?? null);
        };
      loaders = {
        gpu: new DataLoader(
          batch(
            (cluster) => this.quality.gpus({ cluster }, scope),
            (g: { uuid: string; migInstanceId?: string }) =>
              g.migInstanceId ? `${g.uuid}/${g.migInstanceId}` : g.uuid,
          ),
          { cacheKeyFn: refKey },
        ),
        npu: new DataLoader(
          batch(
            (cluster) => this.quality.npus({ cluster }, scope),
            (n: { uuid: string }) => n.uuid,
          ),
          { cacheKeyFn: refKey },
        ),
      };
      this.byRequest.set(context, loaders);
    }
    return loaders;
  }
}
