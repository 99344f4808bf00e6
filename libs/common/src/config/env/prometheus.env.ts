import { IsOptional, Matches } from 'class-validator';
import { TENANT_LABEL_MODES, type TenantLabelMode } from '../cluster-config';
import { BoolEnv, HttpUrlEnv, IntEnv, OneOfEnv, StringEnv } from './env-decorators';

/** Prometheus endpoints and clusters, and how DCGM tenant labels are read from them. */
export class PrometheusEnv {
  @HttpUrlEnv() PROMETHEUS_URL?: string;

  /** JSON list `[{name,url,auth?,timeoutMs?,compression?,labels?,tenantLabels?,clusterLabelValue?}]`; validated in AppConfig. */
  @StringEnv({ optional: true }) PROMETHEUS_CLUSTERS?: string;

  /** Label that names the cluster on a global endpoint (Thanos/Mimir/VictoriaMetrics). */
  @IsOptional()
  @Matches(/^[a-zA-Z_][a-zA-Z0-9_]*$/, { message: 'CLUSTER_LABEL must be a Prometheus label name' })
  CLUSTER_LABEL?: string;

  @IntEnv({ min: 100, max: 120000 }) PROMETHEUS_TIMEOUT_MS = 10000;

  @IntEnv({ min: 0, max: 5 }) PROMETHEUS_RETRIES = 2;

  /**
   * Ask Prometheus for gzip answers. Off by default: in a data centre it costs both sides more CPU than it saves time
   * (measured on a 10k-GPU analyzer cycle); turn it on per cluster (`compression: true`) behind a slow link.
   */
  @BoolEnv() PROMETHEUS_COMPRESSION = false;

  /**
   * Largest Prometheus answer read, in bytes after decompression (default 64 MiB); a bigger one is cut off and
   * reported as UPSTREAM_ERROR instead of being buffered.
   */
  @IntEnv({ min: 1024, max: 1024 * 1024 * 1024 }) PROMETHEUS_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

  /**
   * Comma-separated hosts, IPs or CIDRs that `registerCluster` may use although they are loopback, link-local,
   * unspecified or cloud-metadata addresses (refused by default).
   */
  @StringEnv({ optional: true }) ALLOWED_CLUSTER_HOSTS?: string;

  @OneOfEnv(TENANT_LABEL_MODES) DCGM_TENANT_LABELS: TenantLabelMode = 'auto';

  /** Plain `pod` values matching this are the exporter's own pod, never a tenant (exported-shape scrape guard). */
  @StringEnv({ optional: true }) DCGM_EXPORTER_POD_PATTERN = 'dcgm-exporter';
}
