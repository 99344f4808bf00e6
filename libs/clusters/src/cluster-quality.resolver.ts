import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { DataQualityService } from '@kcloud/accelerators';
import {
  CurrentField,
  CurrentScope,
  fullList,
  type ResponseField,
  type TenantScope,
  UpstreamRead,
} from '@kcloud/common';
import { DATA_QUALITY_PRECEDENCE } from '@kcloud/metrics-source';
import { Cluster } from './models/cluster.model';
import { DeviceQualityCount } from './models/device-quality-count.model';

@Resolver(() => Cluster)
export class ClusterQualityResolver {
  constructor(private readonly quality: DataQualityService) {}

  @UpstreamRead()
  @ResolveField(() => [DeviceQualityCount], {
    description:
      'Devices by the quality of their data, every status listed worst first (EXPORTER_DOWN, STALE, FROZEN, ' +
      "PARTIAL, OK), within the caller's scope; the devices themselves: gpus/npus(filter: { dataQuality: [...] })",
  })
  async deviceQuality(
    @Parent() cluster: Cluster,
    @CurrentField() field: ResponseField,
    @CurrentScope() scope: TenantScope,
  ): Promise<DeviceQualityCount[]> {
    const items = fullList(field, await this.quality.counts([cluster.name], scope));
    return DATA_QUALITY_PRECEDENCE.map((status) => ({
      status,
      count: items.find((c) => c.status === status)?.count ?? 0,
    }));
  }
}
