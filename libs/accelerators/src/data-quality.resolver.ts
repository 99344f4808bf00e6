import { ResolveField, Resolver } from '@nestjs/graphql';
import { type PartialErrorsContext, type Principal, principalOfContext, UNRESTRICTED } from '@kcloud/common';
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
  <S, T extends object>(view: (sample: S) => T) =>
  ({ sample, quality }: Qualified<S>): WithDataQuality<T> =>
    // The view made a fresh object: the quality is added to it, not copied with it into a second one per row.
    Object.assign(view(sample), { dataQuality: quality });

const DESCRIPTION =
  'Whether these readings can be trusted: exporter target up, sample age against the scrape interval, frozen ' +
  'readings, refused fields (precedence EXPORTER_DOWN > STALE > FROZEN > PARTIAL > OK)';

/** A device no longer in the current readings (it vanished between the listing and this field). */
const VANISHED: DeviceDataQuality = {
  status: DataQualityStatus.STALE,
  nullFields: [],
  reason: 'the device is no longer in the current readings',
};

/** The GraphQL context these fields read: the per-request loaders hang on it, the caller's scope comes from it. */
type FieldContext = PartialErrorsContext & { principal?: Principal };

/**
 * Asked once per listed device, so these take graphql-js's own arguments instead of parameter decorators: a field
 * resolver without them is bound as it is by Nest (no per-call parameter extraction, pipes and promises), and a
 * listing's device, which carries its quality, is answered synchronously. Field resolvers run no guards or
 * interceptors in this API either way (`fieldResolverEnhancers` unset); the scope is read as `@CurrentScope` reads it.
 */
const scopeOf = (ctx: FieldContext) => principalOfContext(ctx)?.scope ?? UNRESTRICTED;

/** The listing's judgement when the device came from one (synchronously), else the loader's for this request. */
const judged = (
  device: { readonly dataQuality?: DeviceDataQuality },
  load: () => Promise<DeviceDataQuality | null>,
): DeviceDataQuality | Promise<DeviceDataQuality> =>
  device.dataQuality ?? load().then((quality) => quality ?? VANISHED);

@Resolver(() => Gpu)
export class GpuDataQualityResolver {
  constructor(private readonly loaders: DataQualityLoaders) {}

  @ResolveField(() => DataQuality, { description: DESCRIPTION })
  dataQuality(gpu: WithDataQuality<Gpu>, _args: unknown, ctx: FieldContext) {
    return judged(gpu, () =>
      this.loaders.for(ctx, scopeOf(ctx)).gpu.load({ cluster: gpu.cluster, id: gpu.id }),
    );
  }
}

@Resolver(() => Npu)
export class NpuDataQualityResolver {
  constructor(private readonly loaders: DataQualityLoaders) {}

  @ResolveField(() => DataQuality, { description: DESCRIPTION })
  dataQuality(npu: WithDataQuality<Npu>, _args: unknown, ctx: FieldContext) {
    return judged(npu, () =>
      this.loaders.for(ctx, scopeOf(ctx)).npu.load({ cluster: npu.cluster, id: npu.uuid }),
    );
  }
}
