import { Logger } from '@nestjs/common';
import type { AppConfig, ClusterConfig, TenantLabelMode } from '@kcloud/common';
import type { ClusterRegistry, PrometheusClient } from '@kcloud/prometheus';
import type { DeviceFilter } from '../shared/device-filter';
import { exportedShapeProbe } from './gpu-queries';

/** How long a detected tenant-label shape is trusted before it is probed again. */
const SHAPE_TTL_MS = 5 * 60_000;

/**
 * Which label names carry the tenant on a cluster's dcgm series (`namespace` or `exported_namespace`): configured per
 * cluster, or detected. Shared by the snapshot and range readers, so a shape learnt by one serves the other.
 */
export class DcgmTenantShapes {
  private readonly logger = new Logger(DcgmTenantShapes.name);
  private readonly shapes = new Map<string, { mode: 'exported' | 'plain'; at: number }>();

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly config: AppConfig,
  ) {}

  modeOf(cluster: ClusterConfig): TenantLabelMode {
    return cluster.tenantLabels ?? this.config.prometheus.tenantLabels;
  }

  /** Records a shape seen in the data (first allocation) unless one is already known, or `force`. */
  remember(cluster: ClusterConfig, mode: 'exported' | 'plain', force = false): void {
    if (this.modeOf(cluster) !== 'auto') return;
    if (force || !this.shapes.has(cluster.name)) this.shapes.set(cluster.name, { mode, at: Date.now() });
  }

  /**
   * A cluster is "exported" once any dcgm series carries exported_namespace. Detection costs one extra request only
   * when a tenant filter needs the label name before the data is read.
   */
  async shapeOf(
    client: PrometheusClient,
    cluster: ClusterConfig,
    filter: DeviceFilter,
  ): Promise<'exported' | 'plain'> {
    const configured = this.modeOf(cluster);
    if (configured !== 'auto') return configured;
    const known = this.shapes.get(cluster.name);
    if (known && Date.now() - known.at < SHAPE_TTL_MS) return known.mode;
    if (!filter.namespaces && !filter.pods) return known?.mode ?? 'plain';
    const probe = await client.instant(exportedShapeProbe(this.registry.scopeMatchers(cluster.name)));
    const mode = (probe[0]?.value ?? 0) > 0 ? 'exported' : 'plain';
    this.shapes.set(cluster.name, { mode, at: Date.now() });
    this.logger.debug(`cluster ${cluster.name}: dcgm tenant labels detected as ${mode}`);
    return mode;
  }
}
