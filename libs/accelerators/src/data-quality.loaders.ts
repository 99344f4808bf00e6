import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import {
  type ClusterFailure,
  type PartialErrorsContext,
  type PartialResult,
  reportClusterFailures,
  type TenantScope,
} from '@kcloud/common';
import { type DeviceDataQuality, gpuKey, type GpuSample, type NpuSample } from '@kcloud/metrics-source';
import { DataQualityService, type Qualified } from './data-quality.service';

export interface DeviceRef {
  readonly cluster: string;
  /** `gpuKey` for GPUs and MIG instances, the UUID for NPUs. */
  readonly id: string;
}

type QualityLoader = DataLoader<DeviceRef, DeviceDataQuality | null, string>;

interface RequestLoaders {
  readonly gpu: QualityLoader;
  readonly npu: QualityLoader;
}

const refKey = (r: DeviceRef): string => `${r.cluster}\u0000${r.id}`;

/**
 * Per-request loaders for `dataQuality` on devices that did not come from the `gpus`/`npus`/`accelerators` listings
 * (which attach it themselves), e.g. `Node.gpus`, `Pod.gpus`, `gpu(uuid)`: all keys of one tick become one read per
 * cluster, never one per device.
 */
@Injectable()
export class DataQualityLoaders {
  private readonly byRequest = new WeakMap<object, RequestLoaders>();

  constructor(private readonly quality: DataQualityService) {}

  for(context: PartialErrorsContext, scope: TenantScope): RequestLoaders {
    let loaders = this.byRequest.get(context);
    if (!loaders) {
      loaders = {
        gpu: this.loader<GpuSample>(context, (cluster) => this.quality.gpus({ cluster }, scope), gpuKey),
        npu: this.loader<NpuSample>(
          context,
          (cluster) => this.quality.npus({ cluster }, scope),
          (n) => n.uuid,
        ),
      };
      this.byRequest.set(context, loaders);
    }
    return loaders;
  }

  private loader<S extends { readonly cluster: string }>(
    context: PartialErrorsContext,
    read: (cluster: string) => Promise<PartialResult<Qualified<S>>>,
    idOf: (sample: S) => string,
  ): QualityLoader {
    return new DataLoader(
      async (refs: readonly DeviceRef[]) => {
        const clusters = [...new Set(refs.map((r) => r.cluster))];
        const results = await Promise.all(clusters.map(read));
        const failures: ClusterFailure[] = results.flatMap((r) => r.failures);
        reportClusterFailures(context, failures);
        const found = new Map<string, DeviceDataQuality>();
        for (const { sample, quality } of results.flatMap((r) => r.items))
          found.set(refKey({ cluster: sample.cluster, id: idOf(sample) }), quality);
        return refs.map((r) => found.get(refKey(r)) ?? null);
      },
      { cacheKeyFn: refKey },
    );
  }
}
