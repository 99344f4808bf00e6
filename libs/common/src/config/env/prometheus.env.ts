import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { HTTP_URL, toBool } from './env-parsers';
import { TENANT_LABEL_MODES, type TenantLabelMode } from '../cluster-config';

/** Prometheus endpoints and clusters, and how DCGM tenant labels are read from them. */
export class PrometheusEnv {
  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'PROMETHEUS_URL must be an http(s) URL' })
  PROMETHEUS_URL?: string;

  /** JSON list `[{name,url,auth?,timeoutMs?,compression?,labels?,tenantLabels?,clusterLabelValue?}]`; validated in AppConfig. */
  @IsOptional()
  @IsString()
  PROMETHEUS_CLUSTERS?: string;

  /** Label that names the cluster on a global endpoint (Thanos/Mimir/VictoriaMetrics). */
  @IsOptional()
  @Matches(/^[a-zA-Z_][a-zA-Z0-9_]*$/, { message: 'CLUSTER_LABEL must be a Prometheus label name' })
  CLUSTER_LABEL?: string;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120000)
  PROMETHEUS_TIMEOUT_MS = 10000;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(5)
  PROMETHEUS_RETRIES = 2;

  /**
   * Ask Prometheus for gzip answers. Off by default: in a data centre it costs both sides more CPU than it saves time
   * (measured on a 10k-GPU analyzer cycle); turn it on per cluster (`compression: true`) behind a slow link.
   */
  @Transform(toBool)
  @IsBoolean()
  PROMETHEUS_COMPRESSION = false;

  /**
   * Largest Prometheus answer read, in bytes after decompression (default 64 MiB); a bigger one is cut off and
   * reported as UPSTREAM_ERROR instead of being buffered.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  PROMETHEUS_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

  /**
   * Comma-separated hosts, IPs or CIDRs that `registerCluster` may use although they are loopback, link-local,
   * unspecified or cloud-metadata addresses (refused by default).
   */
  @IsOptional()
  @IsString()
  ALLOWED_CLUSTER_HOSTS?: string;

  @IsOptional()
  @IsIn(TENANT_LABEL_MODES)
  DCGM_TENANT_LABELS: TenantLabelMode = 'auto';

  /** Plain `pod` values matching this are the exporter's own pod, never a tenant (exported-shape scrape guard). */
  @IsOptional()
  @IsString()
  DCGM_EXPORTER_POD_PATTERN = 'dcgm-exporter';
}
