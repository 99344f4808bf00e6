import { Inject, Injectable } from '@nestjs/common';
import { type TenantScope, UNRESTRICTED } from '@kcloud/common';
import {
  type ClusterHealth,
  type DataSourceKind,
  SOURCE_STATUS,
  type SourceStatus,
} from '@kcloud/metrics-source';
import { APP_VERSION } from './version';

export interface SystemHealthReport {
  readonly status: 'healthy' | 'degraded' | 'unhealthy';
  readonly version: string;
  readonly dataSource: DataSourceKind;
  readonly uptimeSeconds: number;
  readonly timestamp: string;
  readonly clusters: readonly ClusterHealth[];
}

@Injectable()
export class SystemService {
  constructor(@Inject(SOURCE_STATUS) private readonly source: SourceStatus) {}

  get version(): string {
    return APP_VERSION;
  }

  get dataSource(): DataSourceKind {
    return this.source.kind;
  }

  /** Cluster states, limited to the clusters the caller's scope may see. */
  async clusters(scope: TenantScope = UNRESTRICTED): Promise<readonly ClusterHealth[]> {
    const all = await this.source.health();
    return scope.clusters?.length ? all.filter((c) => scope.clusters!.includes(c.cluster)) : all;
  }

  async report(): Promise<SystemHealthReport> {
    const clusters = await this.source.health();
    const up = clusters.filter((c) => c.status === 'up').length;
    return {
      status: up === clusters.length && up > 0 ? 'healthy' : up > 0 ? 'degraded' : 'unhealthy',
      version: APP_VERSION,
      dataSource: this.source.kind,
      uptimeSeconds: Math.round(process.uptime()),
      timestamp: new Date().toISOString(),
      clusters,
    };
  }
}
