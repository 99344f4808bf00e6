import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';

export const CLUSTER_LABEL_NAME_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]{0,62}$/;
export const MAX_CLUSTER_LABELS = 20;

/** PROMETHEUS_CLUSTERS `labels`: Prometheus-style names, string values (a number or object would print wrongly). */
export function isClusterLabelMap(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length <= MAX_CLUSTER_LABELS &&
    entries.every(([k, v]) => CLUSTER_LABEL_NAME_PATTERN.test(k) && typeof v === 'string' && v.length <= 256)
  );
}

export const CLUSTER_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.:-]{0,62}$/;

/** How dcgm-exporter's tenant labels arrive: `exported_*` (honor_labels: false), plain, or detected per cluster. */
export type TenantLabelMode = 'auto' | 'exported' | 'plain';
export const TENANT_LABEL_MODES: readonly TenantLabelMode[] = ['auto', 'exported', 'plain'];

/** Which exporter a cluster's GPU metrics come from (METRICS.md §1, §5, §6.1); the reader picks its query set by it. */
export type GpuExporterKind = 'dcgm' | 'all-smi' | 'nvidia-smi' | 'nvidia-gpu';
export const GPU_EXPORTERS: readonly GpuExporterKind[] = ['dcgm', 'all-smi', 'nvidia-smi', 'nvidia-gpu'];

/** Kepler's metric names: ≥ 0.10 (the rewrite, default) or ≤ 0.7 (old architecture, also 0.8/0.9); METRICS.md §2. */
export type KeplerVersion = 'v0.10' | 'v0.7';
export const KEPLER_VERSIONS: readonly KeplerVersion[] = ['v0.10', 'v0.7'];

export class ClusterAuthConfig {
  @IsIn(['basic', 'bearer'])
  type!: 'basic' | 'bearer';

  @IsOptional()
  @IsString()
  username?: string;

  @IsOptional()
  @IsString()
  password?: string;

  @IsOptional()
  @IsString()
  token?: string;
}

/** One entry of PROMETHEUS_CLUSTERS (also the input of registerCluster). */
export class ClusterConfig {
  @IsString()
  @Matches(CLUSTER_NAME_PATTERN, { message: 'name must match [a-zA-Z0-9][a-zA-Z0-9_.:-]{0,62}' })
  name!: string;

  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'url must be an http(s) URL' },
  )
  url!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => ClusterAuthConfig)
  auth?: ClusterAuthConfig;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(120000)
  timeoutMs?: number;

  /** Constant labels of the cluster (Algalon's platform, datacenter): shown on Cluster, filterable, a power grouping. */
  @IsOptional()
  @IsObject()
  @ValidateBy({
    name: 'isClusterLabelMap',
    validator: {
      validate: isClusterLabelMap,
      defaultMessage: () =>
        `labels must map at most ${MAX_CLUSTER_LABELS} label names ([a-zA-Z_][a-zA-Z0-9_]{0,62}) to strings of at most 256 characters`,
    },
  })
  labels?: Record<string, string>;

  /** gzip answers from this cluster's Prometheus; default PROMETHEUS_COMPRESSION. */
  @IsOptional()
  @IsBoolean()
  compression?: boolean;

  @IsOptional()
  @IsIn(TENANT_LABEL_MODES)
  tenantLabels?: TenantLabelMode;

  /**
   * For a global endpoint (Thanos, Mimir, VictoriaMetrics) holding several clusters: the value of CLUSTER_LABEL
   * that selects this cluster's series. Every query to this cluster then carries `<CLUSTER_LABEL>="<selector>"`.
   */
  @IsOptional()
  @IsString()
  clusterLabelValue?: string;

  /** GPU exporter of this cluster; default 'dcgm'. all-smi and nvidia_gpu_exporter report no pod attribution. */
  @IsOptional()
  @IsIn(GPU_EXPORTERS)
  gpuExporter?: GpuExporterKind;

  /** Kepler metric names of this cluster; default KEPLER_VERSION. */
  @IsOptional()
  @IsIn(KEPLER_VERSIONS)
  keplerVersion?: KeplerVersion;
}
