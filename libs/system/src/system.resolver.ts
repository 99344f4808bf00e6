import { Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentScope, type TenantScope } from '@kcloud/common';
import { ClusterHealthInfo, DataSource, SystemInfo, type ClusterStatus } from './models/system.model';
import { SystemService } from './system.service';

@Resolver(() => SystemInfo)
export class SystemResolver {
  constructor(private readonly systemService: SystemService) {}

  @Query(() => SystemInfo, { description: 'Version, serving data source and cluster states' })
  system(): Pick<SystemInfo, 'version' | 'dataSource'> {
    return { version: this.systemService.version, dataSource: this.systemService.dataSource as DataSource };
  }

  @ResolveField(() => [ClusterHealthInfo])
  async clusters(@CurrentScope() scope: TenantScope): Promise<ClusterHealthInfo[]> {
    const clusters = await this.systemService.clusters(scope);
    return clusters.map((c) => ({
      name: c.cluster,
      status: c.status as ClusterStatus,
      latencyMs: c.latencyMs,
      lastSuccessAt: c.lastSuccessAt,
      error: c.error,
    }));
  }
}
