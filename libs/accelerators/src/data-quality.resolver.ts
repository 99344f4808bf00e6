import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentScope, type PartialErrorsContext, type TenantScope } from '@kcloud/common';
import { DataQualityStatus, type DeviceDataQuality } from '@kcloud/metrics-source';
import { DataQualityLoaders } from './data-quality.loaders';
import type { Qualified } from './data-quality.service';
import { DataQuality } from './models/data-quality.model';
import { Gpu } from './models/gpu.model';
import { Npu } from './models/npu.model';

/** A device object that came from a listing which already judged its data. */
export type WithDataQuality<T> = T & { readonly dataQuality?: DeviceDataQuality };

/** Maps a listed device to its GraphQL object carrying the quality the listing judged (Device.dataQuality reads it). */
export const withQuality =
  <S, T>(view: (sample: S) => T) =>
  ({ sample, quality }: Qualified<S>): WithDataQuality<T> => ({ ...view(sample), dataQuality: quality });

const DESCRIPTION =
  'Whether these readings can be trusted: exporter target up, sample age against the scrape interval, frozen ' +
  'readings, refused fields (precedence EXPORTER_DOWN > STALE > FROZEN > PARTIAL > OK)';

/** A device no longer in the current readings (it vanished between the listing and this field). */
const VANISHED: DeviceDataQuality = {
  status: DataQualityStatus.STALE,
  nullFields: [],
  reason: 'the device is no longer in the current readings',
};

@Resolver(() => Gpu)
export class GpuDataQualityResolver {
  constructor(private readonly loaders: DataQualityLoaders) {}

  @ResolveField(() => DataQuality, { description: DESCRIPTION })
  async dataQuality(
    @Parent() gpu: WithDataQuality<Gpu>,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<DeviceDataQuality> {
    if (gpu.dataQuality) return gpu.dataQuality;
    return (await this.loaders.for(ctx, scope).gpu.load({ cluster: gpu.cluster, id: gpu.id })) ?? VANISHED;
  }
}

@Resolver(() => Npu)
export class NpuDataQualityResolver {
  constructor(private readonly loaders: DataQualityLoaders) {}

  @ResolveField(() => DataQuality, { description: DESCRIPTION })
  async dataQuality(
    @Parent() npu: WithDataQuality<Npu>,
    @Context() ctx: PartialErrorsContext,
    @CurrentScope() scope: TenantScope,
  ): Promise<DeviceDataQuality> {
    if (npu.dataQuality) return npu.dataQuality;
    return (await this.loaders.for(ctx, scope).npu.load({ cluster: npu.cluster, id: npu.uuid })) ?? VANISHED;
  }
}
